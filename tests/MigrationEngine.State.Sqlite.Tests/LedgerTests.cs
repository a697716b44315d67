using MigrationEngine.Core.State;
using static MigrationEngine.State.Sqlite.Tests.TempStateFolder;

namespace MigrationEngine.State.Sqlite.Tests;

[Trait("Category", "Unit")]
public sealed class LedgerTests : IDisposable
{
    private readonly TempStateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Ledger_entries_round_trip_with_every_field()
    {
        await using var store = await _folder.OpenAsync();
        var copied = Entry("11") with { RecordedAt = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(-5)).AddTicks(7) };
        var present = Entry("12", outcome: "present") with { MessageId = null, TargetId = null, RunId = 3 };
        var otherMailbox = Entry("13", mailbox: "bob@example.test");
        await store.RecordMessagesAsync("plan", [copied, present, otherMailbox], CancellationToken.None);

        var entries = await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", CancellationToken.None);

        Assert.Equal([copied, present], entries);
        Assert.Empty(await store.GetLedgerEntriesAsync("other-plan", "mail", "ann@example.test", CancellationToken.None));
    }

    [Fact]
    public async Task Entry_without_a_time_is_stamped_when_recorded()
    {
        await using var store = await _folder.OpenAsync();
        var before = DateTimeOffset.UtcNow;
        await store.RecordMessagesAsync("plan", [Entry("1") with { RecordedAt = default }], CancellationToken.None);

        var recorded = Assert.Single(await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", CancellationToken.None)).RecordedAt;
        Assert.InRange(recorded, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Folder_view_of_an_unknown_folder_is_empty()
    {
        await using var store = await _folder.OpenAsync();
        await store.RecordMessagesAsync("plan", [Entry("1", folder: "Sent")], CancellationToken.None);

        var view = await store.GetLedgerFolderAsync("plan", "mail", "ann@example.test", "INBOX", CancellationToken.None);

        Assert.Empty(view.SourceIds);
        Assert.Empty(view.DedupKeys);
        Assert.Null(view.FolderValidity);
    }

    [Fact]
    public async Task After_a_validity_change_only_ids_of_the_latest_validity_count_but_all_dedup_keys_do()
    {
        await using var store = await _folder.OpenAsync();
        await store.RecordMessagesAsync("plan", [Entry("1", validity: 100), Entry("2", validity: 100), Entry("3", validity: 100)], CancellationToken.None);
        await store.RecordMessagesAsync("plan", [Entry("1", validity: 200), Entry("9", validity: 200)], CancellationToken.None);
        await store.RecordMessagesAsync("plan", [Entry("4", validity: 555, folder: "Sent")], CancellationToken.None);

        var view = await store.GetLedgerFolderAsync("plan", "mail", "ann@example.test", "INBOX", CancellationToken.None);

        Assert.Equal(200, view.FolderValidity);
        Assert.Equal(new HashSet<string> { "1", "9" }, view.SourceIds.ToHashSet());
        Assert.Equal(
            ["id:1.100@example.test", "id:1.200@example.test", "id:2.100@example.test", "id:3.100@example.test", "id:9.200@example.test"],
            view.DedupKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Latest_validity_is_the_one_recorded_last_not_the_largest()
    {
        await using var store = await _folder.OpenAsync();
        await store.RecordMessagesAsync("plan", [Entry("1", validity: 900)], CancellationToken.None);
        await store.RecordMessagesAsync("plan", [Entry("5", validity: 30)], CancellationToken.None);

        var view = await store.GetLedgerFolderAsync("plan", "mail", "ann@example.test", "INBOX", CancellationToken.None);

        Assert.Equal(30, view.FolderValidity);
        Assert.Equal(["5"], view.SourceIds);
    }

    [Fact]
    public async Task Dedup_keys_count_every_copy_but_not_relinked_entries()
    {
        await using var store = await _folder.OpenAsync();
        // The same message twice in the folder, then a validity change after which the executor relinked both.
        await store.RecordMessagesAsync("plan", [Entry("1", validity: 1) with { DedupKey = "id:same" }, Entry("2", validity: 1) with { DedupKey = "id:same" }], CancellationToken.None);
        await store.RecordMessagesAsync("plan",
            [Entry("8", validity: 2, outcome: "relinked") with { DedupKey = "id:same" }, Entry("9", validity: 2, outcome: "relinked") with { DedupKey = "id:same" }],
            CancellationToken.None);
        await store.RecordMessagesAsync("plan", [Entry("10", validity: 2) with { DedupKey = "id:new" }], CancellationToken.None);

        var view = await store.GetLedgerFolderAsync("plan", "mail", "ann@example.test", "INBOX", CancellationToken.None);

        Assert.Equal(["id:new", "id:same", "id:same"], view.DedupKeys.Order(StringComparer.Ordinal));
        Assert.Equal(new HashSet<string> { "8", "9", "10" }, view.SourceIds.ToHashSet());
        Assert.Equal(2, view.FolderValidity);
    }

    [Fact]
    public async Task Recording_a_batch_again_is_harmless_and_keeps_the_first_record()
    {
        await using var store = await _folder.OpenAsync();
        var batch = Enumerable.Range(1, 50).Select(i => Entry(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        await store.RecordMessagesAsync("plan", batch, CancellationToken.None);
        var hash = await store.GetStateHashAsync("plan", CancellationToken.None);

        // A retry after an unknown outcome: same keys, some different values, plus one new entry.
        var retry = batch.Select(e => e with { TargetId = "other", RunId = 2 }).Append(Entry("51")).ToList();
        await store.RecordMessagesAsync("plan", retry, CancellationToken.None);

        var entries = await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", CancellationToken.None);
        Assert.Equal(51, entries.Count);
        Assert.All(entries.Take(50), e => Assert.Equal(1, e.RunId));
        Assert.NotEqual(hash, await store.GetStateHashAsync("plan", CancellationToken.None));
    }

    [Fact]
    public async Task Item_events_round_trip_and_a_repeated_event_is_kept_once()
    {
        await using var store = await _folder.OpenAsync();
        var filtered = new ItemEvent
        {
            Migration = "mail", Mailbox = "ann@example.test", Folder = "INBOX", SourceId = "4", Kind = "filtered",
            Reason = "older than 2020-01-01", Size = 10, RunId = 1, RecordedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        var bad = filtered with { SourceId = "5", Kind = "bad-item", Reason = "server rejected: too large", Size = 99_000_000 };
        await store.RecordItemEventsAsync("plan", [filtered, bad], CancellationToken.None);
        await store.RecordItemEventsAsync("plan", [filtered with { RunId = 2 }], CancellationToken.None);

        var events = await store.GetItemEventsAsync("plan", CancellationToken.None);

        Assert.Equal([filtered with { RunId = 2 }, bad], events);
    }

    [Fact]
    public async Task Mailbox_totals_aggregate_ledger_and_events_per_mailbox()
    {
        await using var store = await _folder.OpenAsync();
        await store.RecordMessagesAsync("plan",
        [
            Entry("1") with { Size = 100 },
            Entry("2") with { Size = 250 },
            Entry("3", outcome: "present") with { Size = 999 },
            Entry("1", mailbox: "bob@example.test") with { Size = 7 },
        ], CancellationToken.None);

        ItemEvent Event(string sourceId, string kind, string reason, string mailbox = "ann@example.test") => new()
        {
            Migration = "mail", Mailbox = mailbox, Folder = "INBOX", SourceId = sourceId, Kind = kind, Reason = reason, Size = 1, RunId = 1,
        };
        await store.RecordItemEventsAsync("plan",
        [
            Event("10", "filtered", "too old"),
            Event("11", "filtered", "too old"),
            Event("12", "bad-item", "rejected"),
            Event("12", "bad-item", "rejected again with another reason"),
            Event("2", "bad-item", "rejected in run 1, copied in run 2"),
            Event("1", "warning", "malformed Date header"),
            Event("20", "warning", "no Message-ID", "bob@example.test"),
        ], CancellationToken.None);

        var totals = await store.GetMailboxTotalsAsync("plan", CancellationToken.None);

        Assert.Equal(
            [
                new MailboxTotals("mail", "ann@example.test", Copied: 2, BytesCopied: 350, AlreadyPresent: 1, Filtered: 2, BadItems: 1, Warnings: 1),
                new MailboxTotals("mail", "bob@example.test", Copied: 1, BytesCopied: 7, AlreadyPresent: 0, Filtered: 0, BadItems: 0, Warnings: 1),
            ],
            totals);
        Assert.Empty(await store.GetMailboxTotalsAsync("other", CancellationToken.None));
    }
}
