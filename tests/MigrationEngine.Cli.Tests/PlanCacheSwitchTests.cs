using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// MIGRATE_CACHE_DIR=off is the one switch for every cache of plan work: the schema-validation markers and the plan tree
/// kept beside the plan (.migrate/&lt;plan file&gt;.tree) alike. Child processes, so the variable is theirs alone.
/// </summary>
[Trait("Category", "Server")]
public sealed class PlanCacheSwitchTests
{
    [Fact]
    public async Task With_the_caches_off_no_plan_tree_is_kept_or_read()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, ".migrate"));
        File.WriteAllText(Path.Combine(temp.Path, "plan.yaml"), PlanYaml.FileImport("switch", "maildir", "src", "out", ["alice@example.org"]));
        var tree = Path.Combine(temp.Path, ".migrate", "plan.yaml.tree");
        var cacheFolder = Path.Combine(temp.Path, "cache");

        var off = await MigrateCli.RunProcessAsync(temp.Path, TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["MIGRATE_CACHE_DIR"] = "off" }, "validate", "plan.yaml");
        Assert.Equal(0, off.ExitCode);
        Assert.False(File.Exists(tree), "MIGRATE_CACHE_DIR=off: no plan tree written");

        // The same command with the caches on keeps it, so the check above can fail.
        var on = await MigrateCli.RunProcessAsync(temp.Path, TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["MIGRATE_CACHE_DIR"] = cacheFolder }, "validate", "plan.yaml");
        Assert.Equal(0, on.ExitCode);
        Assert.True(File.Exists(tree), "caches on: the plan tree is kept");

        // With the caches off a kept file is left as it is (not rewritten), and the plan is parsed.
        File.WriteAllBytes(tree, [1, 2, 3]);
        var offAgain = await MigrateCli.RunProcessAsync(temp.Path, TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["MIGRATE_CACHE_DIR"] = "off" }, "validate", "plan.yaml");
        Assert.Equal(0, offAgain.ExitCode);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(tree));
    }
}
