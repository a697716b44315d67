using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Tests.Loading;

namespace MigrationEngine.Core.Tests.Validation;

[Trait("Category", "Unit")]
public class DiagnosticsDocTests
{
    [Fact]
    public void Every_catalog_code_is_documented()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "diagnostics.md"));

        var missing = DiagnosticCatalog.All.Where(d => !doc.Contains($"| {d.Code} |", StringComparison.Ordinal)).Select(d => d.Code).ToList();

        Assert.True(missing.Count == 0,
            $"docs/diagnostics.md has no table row for {string.Join(", ", missing)}. Whoever adds a DiagnosticDescriptor to " +
            "DiagnosticCatalog must add a row '| MIGxxxx | severity | title | meaning and fix |' to docs/diagnostics.md.");
    }

    [Fact]
    public void Catalog_codes_are_unique_and_well_formed()
    {
        var codes = DiagnosticCatalog.All.Select(d => d.Code).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.Matches("^MIG[0-9]{4}$", c));
    }

    [Fact]
    public void Plan_language_codes_stay_in_their_range()
    {
        var planCodes = typeof(DiagnosticCatalog).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .Where(d => string.CompareOrdinal(d.Code, "MIG0500") < 0)
            .ToList();

        Assert.True(planCodes.Count >= 60);
        Assert.All(planCodes, d => Assert.False(string.IsNullOrWhiteSpace(d.Title)));
    }
}
