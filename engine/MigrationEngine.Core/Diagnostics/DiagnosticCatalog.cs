using System.Reflection;

namespace MigrationEngine.Core.Diagnostics;

/// <summary>
/// The one catalog of diagnostic codes. Each stage adds its descriptors in its own partial file
/// (DiagnosticCatalog.*.cs); docs/diagnostics.md is checked against <see cref="All"/> by a test.
/// The ranges are listed in docs/diagnostics.md (a test checks that every range in use is there).
/// </summary>
public static partial class DiagnosticCatalog
{
    private static readonly Lazy<IReadOnlyList<DiagnosticDescriptor>> AllDescriptors = new(() =>
        typeof(DiagnosticCatalog)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Code, StringComparer.Ordinal)
            .ToList());

    public static IReadOnlyList<DiagnosticDescriptor> All => AllDescriptors.Value;
}
