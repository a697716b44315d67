
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Validation;

/// <summary>
/// Each folder under Baselines/ is a case: plan.yaml (plus CSVs) and expected.txt, the sorted MSBuild-style diagnostics
/// with file names relative to the case folder. Run with REGENERATE_BASELINES=1 (scripts/regenerate-baselines.sh)
/// to rewrite expected.txt in the source tree instead of comparing.
/// </summary>
[Trait("Category", "Unit")]
public class BaselineTests
{
    private static string BaselineFolder => Path.Combine(RepoPaths.Root, "tests", "MigrationEngine.Core.Tests", "Baselines");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(BaselineFolder).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(folder));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostics_match_the_baseline(string caseName)
    {
        var folder = Path.Combine(BaselineFolder, caseName);
        var result = PlanPipeline.Load(Path.Combine(folder, "plan.yaml"), "plan.yaml");
        var actual = string.Join("\n", result.Diagnostics.Select(d => d.ToMsBuildString())) + "\n";
        var expectedPath = Path.Combine(folder, "expected.txt");

        if (Environment.GetEnvironmentVariable("REGENERATE_BASELINES") == "1")
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }

        Assert.True(File.Exists(expectedPath), $"{expectedPath} is missing; run scripts/regenerate-baselines.sh");
        var expected = File.ReadAllText(expectedPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, actual);
        Assert.Equal(result.HasErrors, result.Plan is null);
    }

    [Fact]
    public void There_are_enough_cases()
    {
        Assert.True(Cases().Count >= 45, "expected at least 45 baseline cases");
    }
}
