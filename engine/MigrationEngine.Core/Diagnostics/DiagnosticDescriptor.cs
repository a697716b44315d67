using System.Globalization;
using System.Reflection;

namespace MigrationEngine.Core.Diagnostics;

/// <summary>A catalog entry: the code, its default severity, a message format and what it is about.</summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Title, string MessageFormat)
{
    public Diagnostic Create(SourceLocation location, string? hint = null, params object?[] args) =>
        new(Code, Severity, location.File, location.Line, location.Column,
            args.Length == 0 ? MessageFormat : string.Format(CultureInfo.InvariantCulture, MessageFormat, args), hint);

    public Diagnostic Create(SourceLocation location, DiagnosticSeverity severity, string? hint = null, params object?[] args) =>
        Create(location, hint, args) with { Severity = severity };
}

/// <summary>
/// The one catalog of diagnostic codes. Each stage adds its descriptors in its own partial file
/// (DiagnosticCatalog.*.cs); docs/diagnostics.md is checked against <see cref="All"/> by a test.
/// Ranges: MIG00xx syntax, MIG01xx schema, MIG02xx semantics, MIG03xx CSV, MIG04xx secrets,
/// MIG05xx state and execution, MIG06xx IMAP, MIG07xx Graph, MIG08xx files and PST, MIG09xx reports.
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
