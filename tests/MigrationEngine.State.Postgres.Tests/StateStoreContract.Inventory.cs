using MigrationEngine.Core.State;

namespace MigrationEngine.State.Postgres.Tests;

/// <summary>The source inventory (<see cref="IInventoryStore"/>), alike in both stores.</summary>
public abstract partial class StateStoreContract
{
    private static readonly DateTimeOffset Recorded = new(2026, 12, 5, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_inventory_replaces_the_mailboxs_previous_one_and_leaves_the_state_hash_alone()
    {
        await using var opened = await OpenAsync();
        var store = (IInventoryStore)opened;
        var hash = await opened.GetStateHashAsync("plan", None);

        await store.SaveInventoryAsync("plan", [new("mail", "ann@example.test", Recorded, """{"v":1}"""), new("mail", "bob@example.test", Recorded, """{"v":1}""")], None);
        await store.SaveInventoryAsync("plan", [new("mail", "ann@example.test", Recorded.AddHours(1), """{"v":2}""")], None);
        await store.SaveInventoryAsync("other", [new("mail", "ann@example.test", Recorded, """{"v":9}""")], None);

        var rows = await store.GetInventoryAsync("plan", None);
        Assert.Equal([new("mail", "ann@example.test", Recorded.AddHours(1), """{"v":2}"""), new InventoryRecord("mail", "bob@example.test", Recorded, """{"v":1}""")], rows);
        // A saved plan stays applicable after an inventory: the hash covers steps and ledger only.
        Assert.Equal(hash, await opened.GetStateHashAsync("plan", None));
    }
}
