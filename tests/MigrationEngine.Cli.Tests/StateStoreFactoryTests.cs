using MigrationEngine.Cli.Hosting;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Tests;

/// <summary>MIG0558, the one diagnostic for a state store that would not open: where, the store's message and its hint.</summary>
[Trait("Category", "Unit")]
public sealed class StateStoreFactoryTests
{
    [Fact]
    public void A_store_that_would_not_open_is_reported_with_its_message_and_hint_and_never_a_password()
    {
        var sqlite = StateStoreFactory.Unavailable("state/state.db", new StateStoreException("state database 'x' stayed locked", null, "run the command again"));
        Assert.Equal("MIG0558", sqlite.Code);
        Assert.Contains("stayed locked", sqlite.Message, StringComparison.Ordinal);
        Assert.Equal("run the command again", sqlite.Hint);
        Assert.Contains(Path.GetFullPath("state/state.db"), sqlite.ToMsBuildString(), StringComparison.Ordinal);

        var postgres = StateStoreFactory.Unavailable("postgres://migrate:s3cret-pw@db.example.test:5432/state", new StateStoreException("cannot be reached"));
        Assert.Null(postgres.Hint);
        Assert.DoesNotContain("s3cret-pw", postgres.ToMsBuildString(), StringComparison.Ordinal);
    }
}
