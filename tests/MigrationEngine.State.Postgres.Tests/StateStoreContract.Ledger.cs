namespace MigrationEngine.State.Postgres.Tests;

/// <summary>Ledger batches: one write per batch keeps the batch's order and its repeats as single writes did.</summary>
public abstract partial class StateStoreContract
{
    [Fact]
    public async Task A_large_batch_keeps_its_order_and_a_message_twice_in_one_batch_is_recorded_once()
    {
        await using var store = await OpenAsync();
        // Source ids in an order that neither their text nor their number sorts into: ids must follow the batch.
        var batch = Enumerable.Range(0, 300).Select(i => Entry(((i * 7919) % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        batch.Insert(150, batch[10] with { TargetId = "second" });

        await store.RecordMessagesAsync("plan", batch, None);

        var entries = await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", None);
        Assert.Equal(batch.Where((_, i) => i != 150), entries);
        var counts = await store.GetLedgerFolderCountsAsync("plan", "mail", "ann@example.test", None);
        Assert.Equal(300, counts["INBOX"]);
    }
}
