using MigrationEngine.Core.State;
using Npgsql;

namespace MigrationEngine.State.Postgres.Tests;

/// <summary>
/// A deadlock between two sessions (two workers of a plan, or a worker and an administrator's transaction): PostgreSQL
/// rolls one transaction back with 40P01, and the store runs that unit of work again instead of stopping the apply.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Server")]
public sealed class PostgresConflictRetryTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await cluster.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_fenced_ledger_write_that_PostgreSQL_picks_as_a_deadlock_victim_is_run_again_and_recorded_once()
    {
        await using var store = await PostgresStateStore.OpenAsync(cluster.Url(_database), None);
        var claim = await store.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", LeaseIdentity.Current("apply"), TimeSpan.FromMinutes(5), None);
        var lease = claim.Acquired!;
        var entries = Enumerable.Range(1, 5).Select(Entry).ToList();

        // The other session: it holds an uncommitted ledger row the store's batch also writes, and will want the lease
        // row the store's fenced write holds FOR SHARE. It waits for deadlocks far longer than the server's default 1 s,
        // so the store's session is the one that finds the cycle and is rolled back.
        await using var other = new NpgsqlConnection(cluster.AdminConnectionString(_database));
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await ExecuteAsync(other, transaction, "SET LOCAL deadlock_timeout = '60s'");
        await ExecuteAsync(other, transaction, """
            INSERT INTO migration_engine.ledger (plan, migration, mailbox, folder, folder_validity, source_id, dedup_key, size, target_folder, outcome, recorded_at, run_id)
            VALUES ('plan', 'mail', 'ann@example.test', 'INBOX', 7, '3', 'key-3', 30, 'INBOX', 'copied', now(), 1)
            """);

        var write = store.RecordMessagesAsync("plan", entries, lease, None);
        await WaitForLockWaitsAsync(other, 1);
        // Closes the cycle: this waits for the store's FOR SHARE, the store waits for row 3. The server rolls the store's
        // transaction back after its deadlock_timeout; this statement then goes through.
        await ExecuteAsync(other, transaction,
            "UPDATE migration_engine.mailbox_leases SET heartbeat_at = heartbeat_at WHERE plan = 'plan' AND migration = 'mail' AND mailbox = 'ann@example.test'");
        await transaction.CommitAsync();
        await write.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(store.ConflictRetries >= 1, "the store never saw the deadlock, so the test proved nothing");
        var recorded = await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", None);
        Assert.Equal(["1", "2", "3", "4", "5"], recorded.Select(e => e.SourceId).Order(StringComparer.Ordinal));
        // Message 3 keeps the other session's record (size 30): a retry never overwrites what is there.
        Assert.Equal(30, recorded.Single(e => e.SourceId == "3").Size);
    }

    [Fact]
    public async Task A_release_and_a_takeover_of_the_same_expired_lease_queue_in_one_order_and_neither_is_rolled_back()
    {
        await using var store = await PostgresStateStore.OpenAsync(cluster.Url(_database), None);
        // A holder on another machine whose lease has run out: a claim from here takes it over, while the holder releases it.
        var elsewhere = new LeaseIdentity("other-host.example.test", 4242, "linux:1", "apply");
        var held = (await store.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", elsewhere, TimeSpan.FromMilliseconds(1), None)).Acquired!;
        await Task.Delay(20);

        // The lease row is held elsewhere so that both wait for it: first the claim, then the release behind it. Before the
        // fix the release had already taken the holding's history row, which the takeover then wanted: a deadlock.
        await using var other = new NpgsqlConnection(cluster.AdminConnectionString(_database));
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await ExecuteAsync(other, transaction, "SET LOCAL deadlock_timeout = '60s'");
        await ExecuteAsync(other, transaction, "SELECT 1 FROM migration_engine.mailbox_leases WHERE plan = 'plan' FOR UPDATE");
        var claim = store.TryAcquireMailboxLeaseAsync("plan", "mail", "ann@example.test", LeaseIdentity.Current("apply"), TimeSpan.FromMinutes(5), None);
        await WaitForLockWaitsAsync(other, 1);
        var release = store.ReleaseMailboxLeaseAsync("plan", held, None);
        await WaitForLockWaitsAsync(other, 2);
        await transaction.CommitAsync();
        var taken = await claim.WaitAsync(TimeSpan.FromSeconds(30));
        await release.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, store.ConflictRetries);
        Assert.Equal(held.Token + 1, taken.Acquired?.Token);
        // The late release changed nothing: the new holder keeps the lease, and the old holding ended as taken over.
        Assert.Equal(Environment.MachineName, Assert.Single(await store.GetMailboxLeasesAsync("plan", None)).Host);
        var history = await ((IWorkerStore)store).GetLeaseHistoryAsync("plan", None);
        Assert.Equal([LeaseEnd.TakenOver, LeaseEnd.Open], history.Select(h => h.End));
    }

    [Fact]
    public void A_conflict_that_outlasts_the_retries_is_reported_with_advice_to_run_again_not_to_restore_the_state()
    {
        var deadlock = new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected);
        var reported = PostgresStateStore.Translate("postgres://u@db:5432/state", deadlock);
        Assert.Contains("40P01", reported.Message, StringComparison.Ordinal);
        Assert.Contains("run the command again", reported.Hint, StringComparison.Ordinal);

        var unreachable = PostgresStateStore.Translate("postgres://u@db:5432/state", new NpgsqlException("Failed to connect"));
        Assert.Contains("once the database answers", unreachable.Hint, StringComparison.Ordinal);

        // A refusal the user must fix keeps its own advice in the message, and no retry hint.
        var login = PostgresStateStore.Translate("postgres://u@db:5432/state", new PostgresException("password authentication failed", "FATAL", "FATAL", "28P01"));
        Assert.Null(login.Hint);
    }

    private static LedgerEntry Entry(int uid) => new()
    {
        Migration = "mail",
        Mailbox = "ann@example.test",
        Folder = "INBOX",
        FolderValidity = 7,
        SourceId = uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        DedupKey = "key-" + uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Size = uid,
        TargetFolder = "INBOX",
        RunId = 1,
    };

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Until <paramref name="count"/> sessions of this database other than <paramref name="other"/> wait for a lock.</summary>
    private async Task WaitForLockWaitsAsync(NpgsqlConnection other, int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await using var probe = new NpgsqlConnection(cluster.AdminConnectionString(_database));
            await probe.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> @other", probe);
            command.Parameters.AddWithValue("other", other.ProcessID);
            if ((long)(await command.ExecuteScalarAsync())! >= count)
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"fewer than {count} of the store's sessions waited for the other session's rows");
    }
}
