using System.Security.Cryptography;
using System.Text;
using MigrationEngine.Core.State;
using MigrationEngine.State.Sqlite;
using MigrationEngine.TestSupport;

namespace MigrationEngine.State.Postgres.Tests;

/// <summary>
/// The behaviour every state store must have, run against SQLite and PostgreSQL alike: a plan's state must mean the same
/// thing (and hash the same) whichever store keeps it.
/// </summary>
/// <remarks>Traits are on the concrete classes: SQLite runs in-process, PostgreSQL needs its server.</remarks>
public abstract partial class StateStoreContract : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;

    // Microsecond precision: what both stores keep.
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A store over fresh, empty storage; called again in a test, it opens another store over the same storage.</summary>
    protected abstract Task<IStateStore> OpenAsync();

    protected static LedgerEntry Entry(string sourceId, string mailbox = "ann@example.test", string folder = "INBOX", long validity = 100, string outcome = "copied", long size = 1000) => new()
    {
        Migration = "mail",
        Mailbox = mailbox,
        Folder = folder,
        FolderValidity = validity,
        SourceId = sourceId,
        MessageId = $"<{sourceId}@example.test>",
        DedupKey = "key-" + sourceId,
        Sha256 = new string('a', 64),
        Size = size,
        TargetFolder = folder,
        TargetId = "t" + sourceId,
        Outcome = outcome,
        RecordedAt = T0.AddTicks(10 * long.Parse(sourceId, System.Globalization.CultureInfo.InvariantCulture)),
        RunId = 1,
    };

    protected static ItemEvent Event(string sourceId, string kind, string reason = "too large", long size = 10, string mailbox = "ann@example.test") => new()
    {
        Migration = "mail",
        Mailbox = mailbox,
        Folder = "INBOX",
        SourceId = sourceId,
        Kind = kind,
        Reason = reason,
        Size = size,
        RunId = 1,
        RecordedAt = T0,
    };

    private static StepRecord Step(string id, string hash = "h1", StepStatus status = StepStatus.Succeeded) => new()
    {
        StepId = id,
        Kind = "copy",
        InputHash = hash,
        Status = status,
        Attempts = 1,
        StartedAt = T0,
        FinishedAt = T0.AddSeconds(3),
        ResultJson = "{\"copied\":3}",
    };

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task A_plan_without_state_has_the_hash_of_the_empty_string()
    {
        await using var store = await OpenAsync();

        var hash = await store.GetStateHashAsync("plan", None);

        Assert.Equal(Sha256Hex(string.Empty), hash);
        Assert.Equal(StateHash.Empty, hash);
        Assert.Equal(StateHash.Empty, hash);
    }

    [Fact]
    public async Task State_hash_covers_steps_in_byte_order_and_the_ledger_count_and_highest_id()
    {
        await using var store = await OpenAsync();
        // Upper case sorts before lower case in byte order, unlike in most natural-language collations.
        await store.SaveStepAsync("plan", Step("copy/mail/b"), None);
        await store.SaveStepAsync("plan", Step("Verify/mail/a", "h2", StepStatus.Failed), None);
        await store.SaveStepAsync("plan", Step("copy/mail/a"), None);
        await store.RecordMessagesAsync("plan", [Entry("1"), Entry("2")], None);
        // The repeated entry is ignored but draws an id, in SQLite as in PostgreSQL: ids 1, 2, 4.
        await store.RecordMessagesAsync("plan", [Entry("2"), Entry("3")], None);

        var hash = await store.GetStateHashAsync("plan", None);

        var expected = "step\tVerify/mail/a\th2\tfailed\n" + "step\tcopy/mail/a\th1\tsucceeded\n" + "step\tcopy/mail/b\th1\tsucceeded\n" + "ledger\t3\t4\n";
        Assert.Equal(Sha256Hex(expected), hash);
        Assert.Equal(StateHash.Empty, await store.GetStateHashAsync("other-plan", None));
    }

    [Fact]
    public async Task Steps_round_trip_and_a_saved_step_replaces_the_previous_record()
    {
        await using var store = await OpenAsync();
        await store.SaveStepAsync("plan", Step("copy/mail/ann") with { Status = StepStatus.Running, FinishedAt = null }, None);
        var done = Step("copy/mail/ann") with { Attempts = 2, Error = null };
        await store.SaveStepAsync("plan", done, None);

        var steps = await store.GetStepsAsync("plan", None);

        Assert.Equal(done, Assert.Single(steps).Value);
        Assert.Empty(await store.GetStepsAsync("other-plan", None));
    }

    [Fact]
    public async Task Ledger_entries_round_trip_with_every_field_and_a_known_message_is_kept_once()
    {
        await using var store = await OpenAsync();
        var copied = Entry("11");
        var present = Entry("12", outcome: "present") with { MessageId = null, TargetId = null, Sha256 = null, RunId = 3 };
        await store.RecordMessagesAsync("plan", [copied, present, Entry("13", mailbox: "bob@example.test")], None);
        await store.RecordMessagesAsync("plan", [copied with { TargetId = "changed" }], None);

        var entries = await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", None);

        Assert.Equal([copied, present], entries);
        Assert.Empty(await store.GetLedgerEntriesAsync("other-plan", "mail", "ann@example.test", None));
    }

    [Fact]
    public async Task Folder_view_counts_ids_of_the_latest_validity_and_dedup_keys_of_all_but_relinked_entries()
    {
        await using var store = await OpenAsync();
        await store.RecordMessagesAsync("plan", [Entry("1", validity: 100), Entry("2", validity: 100)], None);
        await store.RecordMessagesAsync("plan", [Entry("1", validity: 200), Entry("9", validity: 200, outcome: "relinked")], None);
        await store.RecordMessagesAsync("plan", [Entry("4", validity: 555, folder: "Sent")], None);

        var view = await store.GetLedgerFolderAsync("plan", "mail", "ann@example.test", "INBOX", None);

        Assert.Equal(200, view.FolderValidity);
        Assert.Equal(["1", "9"], view.SourceIds.Order());
        Assert.Equal(["key-1", "key-1", "key-2"], view.DedupKeys.Order());
        Assert.Same(LedgerFolderView.Empty, await store.GetLedgerFolderAsync("plan", "mail", "ann@example.test", "Drafts", None));
    }

    [Fact]
    public async Task Folder_counts_match_the_folder_views_source_ids()
    {
        await using var store = await OpenAsync();
        await store.RecordMessagesAsync("plan", [Entry("1", validity: 100), Entry("2", validity: 100), Entry("3", validity: 100)], None);
        await store.RecordMessagesAsync("plan", [Entry("1", validity: 200), Entry("9", validity: 200, outcome: "relinked")], None);
        await store.RecordMessagesAsync("plan", [Entry("4", validity: 555, folder: "Sent"), Entry("5", mailbox: "bob@example.test")], None);

        var counts = await store.GetLedgerFolderCountsAsync("plan", "mail", "ann@example.test", None);

        Assert.Equal(2, counts.Count);
        Assert.Equal((await store.GetLedgerFolderAsync("plan", "mail", "ann@example.test", "INBOX", None)).SourceIds.Count, counts["INBOX"]);
        Assert.Equal(2, counts["INBOX"]);
        Assert.Equal(1, counts["Sent"]);
        Assert.Empty(await store.GetLedgerFolderCountsAsync("plan", "mail", "nobody@example.test", None));
    }

    [Fact]
    public async Task Item_events_are_unique_per_message_kind_and_reason()
    {
        await using var store = await OpenAsync();
        await store.RecordItemEventsAsync("plan", [Event("1", "filtered"), Event("1", "filtered", "before since"), Event("2", "bad-item")], None);
        await store.RecordItemEventsAsync("plan", [Event("1", "filtered") with { Size = 99, RunId = 2 }], None);

        var events = await store.GetItemEventsAsync("plan", None);

        Assert.Equal(3, events.Count);
        Assert.Equal(Event("1", "filtered") with { Size = 99, RunId = 2 }, events[0]);
        Assert.Equal("before since", events[1].Reason);
        Assert.Empty(await store.GetItemEventsAsync("other-plan", None));
    }

    [Fact]
    public async Task Totals_count_copied_present_filtered_warned_and_bad_items_not_copied_since()
    {
        await using var store = await OpenAsync();
        await store.RecordMessagesAsync("plan", [Entry("1", size: 100), Entry("2", size: 50), Entry("3", outcome: "present"), Entry("7", mailbox: "bob@example.test")], None);
        await store.RecordItemEventsAsync("plan",
        [
            Event("4", "filtered"), Event("4", "filtered", "other reason"), Event("5", "warning"),
            Event("2", "bad-item"), Event("6", "bad-item"),
        ], None);

        var totals = await store.GetMailboxTotalsAsync("plan", None);

        Assert.Equal(
            [
                new MailboxTotals("mail", "ann@example.test", 2, 150, 1, 1, 1, 1),
                new MailboxTotals("mail", "bob@example.test", 1, 1000, 0, 0, 0, 0),
            ],
            totals);
    }

    [Fact]
    public async Task Cursors_round_trip_including_modseq_above_the_signed_range()
    {
        await using var store = await OpenAsync();
        var cursor = new FolderCursor(7, 1234, ulong.MaxValue - 5);
        await store.SaveCursorAsync("plan", "mail", "ann@example.test", "INBOX", new FolderCursor(7, 10, null), None);
        await store.SaveCursorAsync("plan", "mail", "ann@example.test", "INBOX", cursor, None);

        Assert.Equal(cursor, await store.GetCursorAsync("plan", "mail", "ann@example.test", "INBOX", None));
        Assert.Null(await store.GetCursorAsync("plan", "mail", "ann@example.test", "Sent", None));
    }

    [Fact]
    public async Task Runs_are_recorded_in_order_and_finishing_an_unknown_run_is_a_state_error()
    {
        await using var store = await OpenAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var first = await store.StartRunAsync("plan", "apply", None);
        var second = await store.StartRunAsync("plan", "apply --resume", None);
        await store.FinishRunAsync(first, "succeeded", "{\"copied\":1}", None);

        var runs = await store.GetRunsAsync("plan", None);

        Assert.True(second > first);
        Assert.Equal([first, second], runs.Select(r => r.RunId));
        Assert.Equal(("succeeded", "{\"copied\":1}"), (runs[0].Outcome, runs[0].SummaryJson));
        Assert.InRange(runs[0].StartedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.NotNull(runs[0].FinishedAt);
        Assert.Null(runs[1].FinishedAt);
        await Assert.ThrowsAsync<StateStoreException>(() => store.FinishRunAsync(second + 1000, "x", "{}", None));
    }

    [Fact]
    public async Task A_lock_excludes_a_second_store_names_its_owner_and_is_released_on_dispose()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        var handle = await first.AcquireLockAsync("plan", "apply plan.yaml", None);

        var locked = await Assert.ThrowsAsync<PlanLockedException>(() => second.AcquireLockAsync("plan", "apply", None));
        var owner = await second.GetLockOwnerAsync("plan", None);
        await using (await second.AcquireLockAsync("other-plan", "apply", None))
        {
            // Locks are per plan.
        }

        await handle.DisposeAsync();
        await using var taken = await second.AcquireLockAsync("plan", "apply", None);

        Assert.Equal(Environment.ProcessId, locked.Owner.ProcessId);
        Assert.Equal(Environment.MachineName, owner?.Host);
        Assert.Equal("apply plan.yaml", owner?.Command);
        Assert.Equal("apply", (await first.GetLockOwnerAsync("plan", None))?.Command);
    }

    [Fact]
    public async Task Force_unlock_frees_the_plan_for_another_store_and_reports_whether_there_was_a_lock()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        var stale = await first.AcquireLockAsync("plan", "apply", None);

        Assert.True(await second.ForceUnlockAsync("plan", None));
        Assert.Null(await second.GetLockOwnerAsync("plan", None));
        await using var taken = await second.AcquireLockAsync("plan", "apply again", None);
        // The old holder letting go must not free the new holder's lock.
        await stale.DisposeAsync();

        Assert.Equal("apply again", (await first.GetLockOwnerAsync("plan", None))?.Command);
        await taken.DisposeAsync();
        Assert.False(await second.ForceUnlockAsync("plan", None));
    }

    [Fact]
    public async Task Disposing_a_store_releases_the_locks_it_holds()
    {
        var first = await OpenAsync();
        await first.AcquireLockAsync("plan", "apply", None);
        await first.DisposeAsync();

        await using var second = await OpenAsync();

        Assert.Null(await second.GetLockOwnerAsync("plan", None));
        await using var taken = await second.AcquireLockAsync("plan", "apply", None);
    }

    [Fact]
    public async Task A_mailbox_lease_excludes_other_holders_until_released_and_each_claim_draws_a_higher_token()
    {
        await using var firstStore = await OpenAsync();
        await using var secondStore = await OpenAsync();
        var first = (IMailboxLeaseStore)firstStore;
        var second = (IMailboxLeaseStore)secondStore;
        var me = LeaseIdentity.Current("apply");

        var claim = await first.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", me, TimeSpan.FromMinutes(1), None);
        var refused = await second.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", me, TimeSpan.FromMinutes(1), None);
        var other = await second.TryAcquireMailboxLeaseAsync("plan", "mail", "bob@example.test", me, TimeSpan.FromMinutes(1), None);

        Assert.NotNull(claim.Acquired);
        Assert.Null(refused.Acquired);
        Assert.Equal(claim.Acquired!.Token, refused.HeldBy?.Token);
        Assert.Equal(Environment.ProcessId, refused.HeldBy?.ProcessId);
        Assert.NotNull(other.Acquired);
        Assert.Equal(["ann@example.test", "bob@example.test"], (await second.GetMailboxLeasesAsync("plan", None)).Select(l => l.Mailbox));
        Assert.True(await first.RenewMailboxLeaseAsync("plan", claim.Acquired, TimeSpan.FromMinutes(1), None));

        await first.ReleaseMailboxLeaseAsync("plan", claim.Acquired, None);
        var next = await second.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", me, TimeSpan.FromMinutes(1), None);

        Assert.True(next.Acquired!.Token > claim.Acquired.Token);
        Assert.NotNull(next.LastActivity);
        Assert.False(await first.RenewMailboxLeaseAsync("plan", claim.Acquired, TimeSpan.FromMinutes(1), None));
    }

    [Fact]
    public async Task A_broken_or_expired_lease_refuses_its_old_holders_ledger_writes()
    {
        await using var store = await OpenAsync();
        var leases = (IMailboxLeaseStore)store;
        var me = LeaseIdentity.Current("apply");
        var broken = (await leases.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", me, TimeSpan.FromMinutes(1), None)).Acquired!;
        await leases.RecordMessagesAsync("plan", [Entry("1")], broken, None);

        Assert.True(await leases.BreakMailboxLeaseAsync("plan", "mail", "ann@example.test", None));
        await Assert.ThrowsAsync<LeaseLostException>(() => leases.RecordMessagesAsync("plan", [Entry("2")], broken, None));

        // An expired lease (its holder stopped renewing) is taken over; the old holder's token no longer writes.
        var expiring = (await leases.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", me, TimeSpan.FromMilliseconds(1), None)).Acquired!;
        await Task.Delay(20);
        var takeover = await leases.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", me, TimeSpan.FromMinutes(1), None);
        Assert.NotNull(takeover.Acquired);
        Assert.Equal(expiring.Token, takeover.Replaced?.Token);
        await Assert.ThrowsAsync<LeaseLostException>(() => leases.RecordMessagesAsync("plan", [Entry("3")], expiring, None));
        await leases.RecordMessagesAsync("plan", [Entry("4")], takeover.Acquired!, None);

        Assert.Equal(["1", "4"], (await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", None)).Select(e => e.SourceId));
    }

    [Fact]
    public async Task A_lease_whose_holder_died_on_this_host_is_taken_over_at_once()
    {
        await using var opened = await OpenAsync();
        var store = (IMailboxLeaseStore)opened;
        using var gone = System.Diagnostics.Process.Start("true")!;
        await gone.WaitForExitAsync();
        var dead = new LeaseIdentity(Environment.MachineName, gone.Id, "linux:1", "apply");
        await store.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", dead, TimeSpan.FromHours(1), None);

        var claim = await store.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", LeaseIdentity.Current("apply"), TimeSpan.FromMinutes(1), None);

        Assert.NotNull(claim.Acquired);
        Assert.Equal(gone.Id, claim.Replaced?.ProcessId);
        Assert.Equal(LeaseHolderState.Dead, LeaseRules.StateOf(claim.Replaced!, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task State_written_by_one_store_is_read_by_another_over_the_same_storage()
    {
        string hash;
        await using (var writer = await OpenAsync())
        {
            await writer.SaveStepAsync("plan", Step("copy/mail/ann"), None);
            await writer.RecordMessagesAsync("plan", [Entry("1")], None);
            hash = await writer.GetStateHashAsync("plan", None);
        }

        await using var reader = await OpenAsync();

        Assert.Equal(hash, await reader.GetStateHashAsync("plan", None));
        Assert.Equal([Entry("1")], await reader.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", None));
    }
}

[Trait("Category", "Unit")]
public sealed class SqliteStateStoreContractTests : StateStoreContract, IDisposable
{
    private readonly TempDirectory _temp = new("me-sqlite");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    protected override async Task<IStateStore> OpenAsync() => await SqliteStateStore.OpenAsync(Path.Combine(_temp.Path, "state.db"), None);
}

[Collection(PostgresCollection.Name)]
[Trait("Category", "Server")]
public sealed class PostgresStateStoreContractTests(PostgresCluster cluster) : StateStoreContract
{
    private string _database = string.Empty;

    public override async Task InitializeAsync() => _database = await cluster.CreateDatabaseAsync();

    protected override async Task<IStateStore> OpenAsync() => await PostgresStateStore.OpenAsync(cluster.Url(_database), None);
}
