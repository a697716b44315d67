using System.Text.RegularExpressions;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Habits;

/// <summary>
/// Diagnostics are built by their typed factory (<c>Diagnose.DuplicateKey(at, key, firstLine)</c>), never from a descriptor
/// and loose arguments. <see cref="DiagnosticDescriptor"/>'s untyped <c>Create</c> is internal to Core, so the compiler
/// refuses it everywhere else; this test covers what <c>internal</c> cannot: Core itself outside the Diagnostics folder,
/// and this test project, which sees Core's internals.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class TypedDiagnosticsTests
{
    [Fact]
    public void Only_the_typed_factories_create_diagnostics_from_a_descriptor()
    {
        var diagnosticsFolder = Path.Combine(RepoPaths.Root, "engine", "MigrationEngine.Core", "Diagnostics") + Path.DirectorySeparatorChar;
        var found = new List<string>();
        foreach (var file in new[] { "engine", "tests" }
                     .SelectMany(root => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, root), "*.cs", SearchOption.AllDirectories))
                     .Where(f => !f.StartsWith(diagnosticsFolder, StringComparison.Ordinal)
                         && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.EndsWith($"{Path.DirectorySeparatorChar}{nameof(TypedDiagnosticsTests)}.cs", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (UntypedUse().IsMatch(lines[i]))
                {
                    found.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(found.Count == 0, "build the diagnostic with its typed factory, Diagnose.<same name>(at, ..., hint: ...):\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_finds_the_untyped_uses_it_is_meant_to_find()
    {
        Assert.Matches(UntypedUse(), "diagnostics.Add(DiagnosticCatalog.DuplicateKey, at, null, key, 3);");
        Assert.Matches(UntypedUse(), "throw new MigrationException(DiagnosticCatalog.CaFileUnusable.Create(at, hint, file));");
        Assert.Matches(UntypedUse(), "var d = descriptor.Create(at, null, key);");
        Assert.DoesNotMatch(UntypedUse(), "diagnostics.Add(Diagnose.DuplicateKey(at, key, 3));");
        Assert.DoesNotMatch(UntypedUse(), "Assert.Equal(DiagnosticCatalog.DuplicateKey.Code, diagnostic.Code);");
    }

    [GeneratedRegex("""DiagnosticCatalog\.\w+\.Create\(|Add\((\s*\w+\s*,)?\s*DiagnosticCatalog\.\w+\s*,|\b[dD]escriptor\.Create\(""")]
    private static partial Regex UntypedUse();
}
