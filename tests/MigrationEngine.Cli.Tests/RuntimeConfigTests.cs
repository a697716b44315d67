using System.Text.Json;
using System.Xml.Linq;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// The runtime settings the CLI ships with (its migrate.runtimeconfig.json), each kept because it moved a measured figure
/// (docs/design.md, IMAP copy path): a change of them is a change of those figures.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RuntimeConfigTests
{
    [Fact]
    public void The_cli_runs_without_thread_pool_spinning_tiered_pgo_concurrent_gc_or_file_locking()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "migrate.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal("0", properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").ToString());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.False(properties.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.False(properties.TryGetProperty("System.GC.Server", out var server) && server.GetBoolean());
        // No advisory flock per file open and close (the engine's exclusive files are O_EXCL creations and renames).
        Assert.True(properties.GetProperty("System.IO.DisableFileLocking").GetBoolean());
    }

    [Fact]
    public void The_composite_build_defers_tier_one_instead_of_turning_tiering_off()
    {
        // The composite build's runtimeconfig comes from a publish property this test build does not set, so the project
        // file is read: tiering stays on everywhere, and only the composite build waits a minute before counting calls.
        var project = XDocument.Load(RepoPaths.Of("engine", "MigrationEngine.Cli", "MigrationEngine.Cli.csproj"));
        Assert.DoesNotContain(project.Descendants("TieredCompilation"), element => element.Value.Trim() == "false");
        var delay = Assert.Single(project.Descendants("RuntimeHostConfigurationOption"),
            option => (string?)option.Attribute("Include") == "System.Runtime.TieredCompilation.CallCountingDelayMs");
        Assert.Equal("60000", (string?)delay.Attribute("Value"));
        Assert.Equal("'$(PublishReadyToRunComposite)' == 'true'", (string?)delay.Parent!.Attribute("Condition"));

        var path = Path.Combine(AppContext.BaseDirectory, "migrate.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.TryGetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs", out _));
        Assert.False(properties.TryGetProperty("System.Runtime.TieredCompilation", out var tiered) && !tiered.GetBoolean());
    }
}
