using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class PlanProvisioningTests
{
    [Fact]
    public async Task Plan_lists_the_users_a_provisioning_target_would_create_and_their_licences()
    {
        using var temp = new TempDirectory();
        var examples = Path.Combine(RepoPaths.Root, "plans", "examples");
        // The IMAP example copied by the engine (engine: exchange cannot create users) with a provisioning target.
        var plan = File.ReadAllText(Path.Combine(examples, "exchange-imap.yaml"))
            .Replace("      engine: exchange\n", string.Empty, StringComparison.Ordinal)
            .Replace("      clientSecret: env:EXO_CLIENT_SECRET\n", "      clientSecret: env:EXO_CLIENT_SECRET\n      provision:\n        createUsers: true\n        usageLocation: US\n        licenses:\n          - EXCHANGESTANDARD\n        passwordFile: out/initial-passwords.csv\n", StringComparison.Ordinal);
        Assert.Contains("createUsers: true", plan, StringComparison.Ordinal);
        File.WriteAllText(temp.Combine("exchange-imap.yaml"), plan);
        Directory.CreateDirectory(temp.Combine("mailboxes"));
        File.Copy(Path.Combine(examples, "mailboxes", "exchange-imap.csv"), temp.Combine("mailboxes", "exchange-imap.csv"));
        var result = await MigrateCli.RunAsync(temp.Path, "plan", "exchange-imap.yaml", "--state", temp.Combine("state.db"));
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("Provisioning on target exo:", result.Out, StringComparison.Ordinal);
        Assert.Contains("EXCHANGESTANDARD", result.Out, StringComparison.Ordinal);
        var firstAddress = File.ReadLines(Path.Combine(examples, "mailboxes", "exchange-imap.csv")).Skip(1).First().Split(',')[0];
        Assert.Contains($"+ user {firstAddress} (if missing)", result.Out, StringComparison.Ordinal);
    }
}
