using MigrationEngine.Cli.Tests.Infrastructure;

namespace MigrationEngine.Cli.Tests;

public sealed class PlanProvisioningTests
{
    [Fact]
    public async Task Plan_lists_the_users_a_provisioning_target_would_create_and_their_licences()
    {
        using var temp = new TempFolder();
        var examples = Path.Combine(TestPaths.RepoRoot, "plans", "examples");
        var result = await MigrateCli.RunAsync(examples, "plan", "exchange-imap.yaml", "--state", temp.Combine("state.db"));
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("Provisioning on target exo:", result.Out, StringComparison.Ordinal);
        Assert.Contains("EXCHANGESTANDARD", result.Out, StringComparison.Ordinal);
        var firstAddress = File.ReadLines(Path.Combine(examples, "mailboxes", "exchange-imap.csv")).Skip(1).First().Split(',')[0];
        Assert.Contains($"+ user {firstAddress} (if missing)", result.Out, StringComparison.Ordinal);
    }
}
