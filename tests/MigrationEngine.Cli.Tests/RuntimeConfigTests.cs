using System.Text.Json;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// The runtime settings the CLI ships with (its migrate.runtimeconfig.json), each kept because it moved a measured figure
/// (docs/design.md, IMAP copy path): a change of them is a change of those figures.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RuntimeConfigTests
{
    [Fact]
    public void The_cli_runs_without_thread_pool_spinning_tiered_pgo_or_concurrent_gc()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "migrate.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal("0", properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").ToString());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.False(properties.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.False(properties.TryGetProperty("System.GC.Server", out var server) && server.GetBoolean());
    }
}
