using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>CLI output compared with golden files; set UPDATE_GOLDEN=1 to rewrite them after an intended change.</summary>
[Trait("Category", "Unit")]
public sealed class GoldenTests
{
    internal static string GoldenFolder => Path.Combine(RepoPaths.Root, "tests", "MigrationEngine.Cli.Tests", "Golden");

    [Theory]
    [InlineData("mermaid", "graph.mermaid")]
    [InlineData("dot", "graph.dot")]
    [InlineData("json", "graph.json")]
    public async Task Graph_output_is_deterministic(string format, string golden)
    {
        var result = await MigrateCli.RunAsync(GoldenFolder, "graph", "graph-plan.yaml", "--format", format);
        Assert.True(result.ExitCode == 0, result.All);
        var again = await MigrateCli.RunAsync(GoldenFolder, "graph", "graph-plan.yaml", "--format", format);
        Assert.Equal(result.Out, again.Out);
        AssertGolden(golden, result.Out);
    }

    [Theory]
    [InlineData("plan.txt")]
    [InlineData("plan-full.txt", "--full")]
    public async Task Plan_text_against_empty_state_matches_golden(string golden, params string[] extra)
    {
        using var temp = new TempDirectory();
        var result = await MigrateCli.RunAsync(GoldenFolder, ["plan", "graph-plan.yaml", "--state", temp.Combine("state.db"), .. extra]);
        Assert.True(result.ExitCode == 0, result.All);
        AssertGolden(golden, result.Out.Replace(temp.Combine("state.db"), "<state>", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("plan.md")]
    [InlineData("plan-full.md", "--full")]
    public async Task Plan_markdown_against_empty_state_matches_golden(string golden, params string[] extra)
    {
        using var temp = new TempDirectory();
        var result = await MigrateCli.RunAsync(GoldenFolder, ["plan", "graph-plan.yaml", "--output", "markdown", "--state", temp.Combine("state.db"), .. extra]);
        Assert.True(result.ExitCode == 0, result.All);
        AssertGolden(golden, result.Out);
    }

    internal static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(GoldenFolder, name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1" || !File.Exists(path))
        {
            File.WriteAllText(path, actual);
            Assert.Fail($"golden file {name} was written; review it and run the tests again");
        }

        Assert.Equal(File.ReadAllText(path), actual);
    }
}
