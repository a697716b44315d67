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
}
