using MigrationEngine.Cli.Hosting;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Tests;

/// <summary>The last line of defence: a state failure is MIG0590 with the store's own way out when it knows one.</summary>
[Trait("Category", "Unit")]
public sealed class FailureDiagnosticsTests
{
    [Fact]
    public void A_state_failure_with_its_own_hint_keeps_it_and_one_without_gets_the_advice_for_a_damaged_state()
    {
        var conflict = FailureDiagnostics.Describe(new InvalidOperationException("outer", new StateStoreException("state database 'x' failed (40P01: deadlock detected).", null, "run the command again")));
        Assert.Equal("MIG0590", conflict?.Code);
        Assert.Equal("run the command again", conflict?.Hint);

        var damaged = FailureDiagnostics.Describe(new StateStoreException("state file 'x' is not a database"));
        Assert.Equal("MIG0590", damaged?.Code);
        Assert.StartsWith("restore the state file from a backup", damaged?.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_disk_or_an_unwritable_folder_is_not_called_a_bug()
    {
        // What .NET throws when the run log cannot be created on a full disk, and for a folder the user cannot write.
        var full = FailureDiagnostics.Describe(new IOException("No space left on device : '/plans/.migrate/logs/run.clef'", 28));
        Assert.Equal("MIG0592", full?.Code);
        Assert.Contains("/plans/.migrate/logs/run.clef", full?.Message, StringComparison.Ordinal);
        Assert.Contains("free space", full?.Hint, StringComparison.Ordinal);

        var denied = FailureDiagnostics.Describe(new InvalidOperationException("outer", new UnauthorizedAccessException("Access to the path '/plans/.migrate' is denied.")));
        Assert.Equal("MIG0592", denied?.Code);

        var bug = FailureDiagnostics.Describe(new InvalidOperationException("Sequence contains no elements"));
        Assert.Equal("MIG0591", bug?.Code);
    }
}
