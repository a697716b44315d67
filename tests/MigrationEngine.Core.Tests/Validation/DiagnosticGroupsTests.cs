using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Tests.Validation;

[Trait("Category", "Unit")]
public sealed class DiagnosticGroupsTests
{
    private static Diagnostic Row(string code, string file, int line) => new(code, DiagnosticSeverity.Error, file, line, 1, $"bad row {line}", "fix it");

    [Fact]
    public void Many_of_one_code_in_one_file_show_ten_then_one_line_with_the_rest()
    {
        var diagnostics = Enumerable.Range(2, 5000).Select(line => Row("MIG0301", "users.csv", line))
            .Append(Row("MIG0302", "users.csv", 9))
            .Concat(Enumerable.Range(2, 3).Select(line => Row("MIG0301", "other.csv", line)))
            .ToList();

        var lines = DiagnosticGroups.TextLines(diagnostics).ToList();

        Assert.Equal(10 + 1 + 1 + 3, lines.Count);
        Assert.Equal("users.csv(11,1): error MIG0301: bad row 11 (hint: fix it)", lines[9]);
        Assert.Equal("users.csv: error MIG0301: 4,990 more like the above (lines 12 to 5001) (hint: '--output json' lists every one)", lines[10]);
        Assert.Contains("users.csv(9,1): error MIG0302: bad row 9 (hint: fix it)", lines);
        Assert.Equal(3, lines.Count(l => l.StartsWith("other.csv(", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ten_or_fewer_are_printed_as_they_are()
    {
        var diagnostics = Enumerable.Range(1, DiagnosticGroups.ShownPerGroup).Select(line => Row("MIG0301", "users.csv", line)).ToList();

        Assert.Equal(diagnostics.Select(d => d.ToMsBuildString()), DiagnosticGroups.TextLines(diagnostics));
    }
}
