using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite;

/// <summary>
/// The embedded state store: one SQLite file per state path, shared by every plan that uses it (rows are keyed by plan name).
/// </summary>
/// <remarks>
/// <para><b>Connections.</b> All writes go through one long-lived connection, queued in the process and run one after
/// the other (<c>SqliteStateStore.WriteQueue.cs</c>): SQLite allows one writer at a time anyway, and queueing writers in
/// the process is cheaper than letting them collide on the file lock and retry. Reads use a small private pool of
/// read-only connections; in WAL mode readers see the last committed state and never wait for the writer, so folder lookups do not stall behind ledger batches. Other processes
/// on the same file are serialised by SQLite's file locks; a busy timeout makes them wait instead of failing.</para>
/// <para><b>Durability.</b> The journal is WAL with <c>synchronous=NORMAL</c>: a commit appends the transaction to the
/// -wal file with write(2) before the call returns, but is not fsync'ed on each commit. Once write(2) returns, the data
/// is in the operating system's page cache, which survives the death of the process (kill -9, crash, OOM kill): the next
/// open replays the log. Only a power loss or kernel crash can drop the last transactions, and then the database is
/// still consistent (WAL frames are checksummed) and the engine's target check before each copy prevents duplicates.
/// FULL would fsync every ledger batch, which costs milliseconds each on real disks.</para>
/// <para>Timestamps are stored as ISO 8601 UTC text with 100 ns precision and come back as UTC <see cref="DateTimeOffset"/>.</para>
/// </remarks>
public sealed partial class SqliteStateStore : IStateStore
{
    public const int SchemaVersion = 5;

    private const int BusyTimeoutMilliseconds = 30_000;
    private const int MaxIdleReaders = 4;
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly string _databasePath;
    private readonly string _connectionString;
    private readonly StateRowReader _rows;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentBag<SqliteConnection> _idleReaders = [];
    private readonly ConcurrentDictionary<string, string> _heldLockTokens = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    private SqliteStateStore(string databasePath, string connectionString, SqliteConnection writer)
    {
        _databasePath = databasePath;
        _rows = new SqliteRows(this, databasePath);
        _connectionString = connectionString;
        _writer = writer;
    }

    public string Location => _databasePath;

    /// <summary>
    /// Opens or creates the database file (creating its folder), switches it to WAL and upgrades its schema.
    /// Throws <see cref="StateStoreException"/> naming the file and the cause when it is damaged, foreign or newer than this build.
    /// </summary>
    public static Task<SqliteStateStore> OpenAsync(string databasePath, CancellationToken cancellationToken) =>
        OpenAsync(databasePath, SchemaMigrator.Migrations, SchemaVersion, cancellationToken);

    internal static Task<SqliteStateStore> OpenAsync(
        string databasePath, IReadOnlyList<SchemaMigration> migrations, int targetVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        cancellationToken.ThrowIfCancellationRequested();

        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(databasePath);
            var folder = Path.GetDirectoryName(fullPath);
            if (!string.IsNullOrEmpty(folder))
            {
                PrivateFiles.CreateFolder(folder);
            }

            // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's mode.
            if (!File.Exists(fullPath) && !Directory.Exists(fullPath))
            {
                PrivateFiles.Touch(fullPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new StateStoreException($"state database '{databasePath}' cannot be created: {ex.Message}", ex);
        }

        DatabaseFileInspector.ThrowIfUnusable(fullPath);

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Connections are owned here (one writer, a private reader pool), so that disposing the store closes the file.
            Pooling = false,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();

        var writer = new SqliteConnection(connectionString);
        try
        {
            writer.Open();
            Execute(writer, null, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}"));
            // The journal mode is stored in the file: every later connection, from any process, uses WAL too.
            Execute(writer, null, "PRAGMA journal_mode = WAL");
            Execute(writer, null, "PRAGMA synchronous = NORMAL");
            // The log is copied back into the database every 4,000 pages (16 MB) instead of SQLite's 1,000: a checkpoint reads
            // each page the log holds and writes it back with two fsyncs, inside the commit that crosses the mark, while every
            // other write waits; the pages a run keeps rewriting (revisions, the steps' and ledger's last pages) are copied
            // once a checkpoint, so fewer checkpoints copy fewer pages. The log is removed when the store closes.
            Execute(writer, null, "PRAGMA wal_autocheckpoint = 4000");
            SchemaMigrator.Upgrade(writer, fullPath, migrations, targetVersion);
            return Task.FromResult(new SqliteStateStore(fullPath, connectionString, writer));
        }
        catch (SqliteException ex)
        {
            writer.Dispose();
            throw StateStoreMessages.Translate(fullPath, ex);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    // ----- locks -----

    public async Task<IAsyncDisposable> AcquireLockAsync(string planName, string command, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(planName);
        var token = Guid.NewGuid().ToString("N");
        await WriteAsync(connection =>
        {
            // IMMEDIATE takes the database's write lock before reading, so two processes cannot both see "no lock" and both insert.
            using var transaction = connection.BeginTransaction(deferred: false);
            var existing = ReadLock(connection, transaction, planName);
            if (existing is { Owner.Damaged: not null })
            {
                throw new PlanLockedException(planName, existing.Owner);
            }

            if (existing is not null)
            {
                var sameHost = string.Equals(existing.Owner.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase);
                if (!sameHost || ProcessIdentity.IsAlive(existing.Owner.ProcessId, existing.ProcessStart))
                {
                    throw new PlanLockedException(planName, existing.Owner);
                }

                // The owner died without releasing the lock (killed, crashed): its lock means nothing any more.
                Execute(connection, transaction, "DELETE FROM locks WHERE plan = $plan", ("$plan", planName));
            }

            Execute(connection, transaction,
                "INSERT INTO locks (plan, host, pid, process_start, since, command, token) VALUES ($plan, $host, $pid, $start, $since, $command, $token)",
                ("$plan", planName),
                ("$host", Environment.MachineName),
                ("$pid", ProcessIdentity.CurrentProcessId),
                ("$start", ProcessIdentity.CurrentStartMarker),
                ("$since", FormatTime(DateTimeOffset.UtcNow)),
                ("$command", command),
                ("$token", token));
            transaction.Commit();
            return 0;
        }, cancellationToken);

        _heldLockTokens[token] = planName;
        return new PlanLock(this, planName, token);
    }

    public Task<LockOwner?> GetLockOwnerAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadLock(connection, null, planName)?.Owner, cancellationToken);

    public Task<bool> ForceUnlockAsync(string planName, CancellationToken cancellationToken) =>
        WriteAsync(connection => Execute(connection, null, "DELETE FROM locks WHERE plan = $plan", ("$plan", planName)) > 0, cancellationToken);

    private async Task ReleaseLockAsync(string planName, string token)
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            // The token is taken off the held list under the write gate, like DisposeAsync does, so exactly one of them deletes the row.
            await WriteAsync(connection => _heldLockTokens.TryRemove(token, out _)
                    // Only our own row: after a ForceUnlock another process may hold the lock now.
                    ? Execute(connection, null, "DELETE FROM locks WHERE plan = $plan AND token = $token", ("$plan", planName), ("$token", token))
                    : 0,
                CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            // The store was disposed meanwhile and released its locks then.
        }
    }

    private StoredLock? ReadLock(SqliteConnection connection, SqliteTransaction? transaction, string planName)
    {
        using var command = Command(connection, transaction, "SELECT host, pid, process_start, since, command FROM locks WHERE plan = $plan", ("$plan", planName));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        // A row of the wrong shape (a damaged file, a hand edit) is reported as such, never as an exception: unlock removes it.
        var damage = reader.GetValue(0) is not string ? "host is not text"
            : reader.GetValue(1) is not long pid || pid is <= 0 or > int.MaxValue ? "pid is not a process id"
            : reader.GetValue(3) is not string since || !TryParseTime(since, out _) ? "since is not a time"
            : null;
        if (damage is not null)
        {
            return new StoredLock(new LockOwner("?", 0, default, null, damage), null);
        }

        TryParseTime(reader.GetString(3), out var sinceTime);
        var owner = new LockOwner(reader.GetString(0), (int)reader.GetInt64(1), sinceTime, reader.GetValue(4) as string);
        return new StoredLock(owner, reader.GetValue(2) as string);
    }

    // ----- steps and state hash -----

    public Task<IReadOnlyDictionary<string, StepRecord>> GetStepsAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, StepRecord>>(connection =>
        {
            using var command = Command(connection, null,
                "SELECT step_id, kind, input_hash, status, attempts, started_at, finished_at, error, result_json FROM steps WHERE plan = $plan",
                ("$plan", planName));
            using var reader = command.ExecuteReader();
            var steps = new Dictionary<string, StepRecord>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var step = _rows.ReadStep(reader);
                steps[step.StepId] = step;
            }

            return steps;
        }, cancellationToken);

    public Task SaveStepAsync(string planName, StepRecord step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        return SaveStepsAsync(planName, [step], cancellationToken);
    }

    /// <summary>
    /// Saves the records in one transaction (one commit for a step's end and the next one's start), shared with the writes
    /// queued right behind it that only the database can fail.
    /// </summary>
    public Task SaveStepsAsync(string planName, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return WriteSharingCommitAsync((connection, transaction) =>
        {
            foreach (var step in steps)
            {
                ExecutePrepared(connection, transaction, """
                    INSERT INTO steps (plan, step_id, kind, input_hash, status, attempts, started_at, finished_at, error, result_json)
                    VALUES ($plan, $id, $kind, $input, $status, $attempts, $started, $finished, $error, $result)
                    ON CONFLICT (plan, step_id) DO UPDATE SET
                        kind = excluded.kind, input_hash = excluded.input_hash, status = excluded.status, attempts = excluded.attempts,
                        started_at = excluded.started_at, finished_at = excluded.finished_at, error = excluded.error, result_json = excluded.result_json
                    """,
                    ("$plan", planName),
                    ("$id", step.StepId),
                    ("$kind", step.Kind),
                    ("$input", step.InputHash),
                    ("$status", StateRowReader.FormatStatus(step.Status)),
                    ("$attempts", step.Attempts),
                    ("$started", step.StartedAt is { } started ? FormatTime(started) : null),
                    ("$finished", step.FinishedAt is { } finished ? FormatTime(finished) : null),
                    ("$error", step.Error),
                    ("$result", step.ResultJson));
            }

            return 0;
        }, cancellationToken);
    }

    /// <summary>
    /// SHA-256 (lower-case hex) over the plan's steps (id, input hash, status, in id order) and its ledger (entry count and
    /// highest entry id, which only grows). <see cref="StateHash.Empty"/> when the plan has neither.
    /// </summary>
    public Task<string> GetStateHashAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            // One read transaction: steps and ledger from the same snapshot.
            using var transaction = connection.BeginTransaction(deferred: true);
            var hash = new StateHash();
            using (var steps = Command(connection, transaction,
                       "SELECT step_id, input_hash, status FROM steps WHERE plan = $plan ORDER BY step_id", ("$plan", planName)))
            using (var reader = steps.ExecuteReader())
            {
                while (reader.Read())
                {
                    hash.AddStep(reader.GetString(0), reader.GetString(1), reader.GetString(2));
                }
            }

            using (var ledger = Command(connection, transaction, "SELECT count(*), coalesce(max(id), 0) FROM ledger WHERE plan = $plan", ("$plan", planName)))
            using (var reader = ledger.ExecuteReader())
            {
                reader.Read();
                hash.AddLedger(reader.GetInt64(0), reader.GetInt64(1));
            }

            transaction.Commit();
            return hash.Value;
        }, cancellationToken);

    // ----- ledger -----

    /// <summary>
    /// Source ids recorded under the folder's latest validity (the validity of the most recently recorded entry), and the
    /// dedup keys of the folder's entries whatever their validity, one per entry (a multiset: a folder may hold the same
    /// message twice), in no particular order. Entries with outcome <c>relinked</c> re-point a message already counted by its
    /// original entry, so their keys are left out; counting them would let a second validity change relink a genuinely new
    /// copy of a message instead of copying it. Uses the unique index (its prefix is the folder).
    /// </summary>
    public Task<LedgerFolderView> GetLedgerFolderAsync(string planName, string migration, string mailbox, string folder, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var command = Command(connection, null,
                "SELECT id, folder_validity, source_id, dedup_key, outcome FROM ledger WHERE plan = $plan AND migration = $migration AND mailbox = $mailbox AND folder = $folder",
                ("$plan", planName), ("$migration", migration), ("$mailbox", mailbox), ("$folder", folder));
            using var reader = command.ExecuteReader();
            var view = new LedgerFolderView.Builder();
            // Rows come in index order (validity, source id); the builder finds the latest validity on the way instead
            // of an ORDER BY, which would add a sort over the whole folder.
            while (reader.Read())
            {
                view.Add(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            }

            return view.Build();
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> GetLedgerFolderCountsAsync(string planName, string migration, string mailbox, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var command = Command(connection, null,
                "SELECT folder, COUNT(*), MAX(id) FROM ledger WHERE plan = $plan AND migration = $migration AND mailbox = $mailbox GROUP BY folder, folder_validity",
                ("$plan", planName), ("$migration", migration), ("$mailbox", mailbox));
            using var reader = command.ExecuteReader();
            var counts = new LedgerFolderCountsBuilder();
            while (reader.Read())
            {
                counts.Add(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            return counts.Build();
        }, cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> GetLedgerEntriesAsync(string planName, string migration, string mailbox, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<LedgerEntry>>(connection =>
        {
            using var command = Command(connection, null, """
                SELECT migration, mailbox, folder, folder_validity, source_id, message_id, dedup_key, sha256, size,
                       target_folder, target_id, outcome, recorded_at, run_id
                FROM ledger WHERE plan = $plan AND migration = $migration AND mailbox = $mailbox ORDER BY id
                """,
                ("$plan", planName), ("$migration", migration), ("$mailbox", mailbox));
            using var reader = command.ExecuteReader();
            var entries = new List<LedgerEntry>();
            while (reader.Read())
            {
                entries.Add(_rows.ReadLedgerEntry(reader, 0));
            }

            return entries;
        }, cancellationToken);

    // ----- item events -----

    /// <summary>
    /// Records the batch in one transaction. The same message with the same kind and reason is kept once (its size, run
    /// and time are updated), so re-running a migration does not multiply its skipped messages.
    /// </summary>
    public Task RecordItemEventsAsync(string planName, IReadOnlyList<ItemEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = Command(connection, transaction, """
                INSERT INTO item_events (plan, migration, mailbox, folder, source_id, kind, reason, size, run_id, recorded_at)
                VALUES ($plan, $migration, $mailbox, $folder, $source, $kind, $reason, $size, $run, $recorded)
                ON CONFLICT (plan, migration, mailbox, folder, source_id, kind, reason) DO UPDATE SET
                    size = excluded.size, run_id = excluded.run_id, recorded_at = excluded.recorded_at
                """);
            var parameters = AddParameters(command, "$plan", "$migration", "$mailbox", "$folder", "$source", "$kind", "$reason", "$size", "$run", "$recorded");
            var now = FormatTime(DateTimeOffset.UtcNow);
            foreach (var item in events)
            {
                parameters[0].Value = planName;
                parameters[1].Value = item.Migration;
                parameters[2].Value = item.Mailbox;
                parameters[3].Value = item.Folder;
                parameters[4].Value = item.SourceId;
                parameters[5].Value = item.Kind;
                parameters[6].Value = item.Reason;
                parameters[7].Value = item.Size;
                parameters[8].Value = item.RunId;
                parameters[9].Value = item.RecordedAt == default ? now : FormatTime(item.RecordedAt);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ItemEvent>> GetItemEventsAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ItemEvent>>(connection =>
        {
            using var command = Command(connection, null,
                "SELECT migration, mailbox, folder, source_id, kind, reason, size, run_id, recorded_at FROM item_events WHERE plan = $plan ORDER BY id",
                ("$plan", planName));
            using var reader = command.ExecuteReader();
            var events = new List<ItemEvent>();
            while (reader.Read())
            {
                events.Add(_rows.ReadItemEvent(reader));
            }

            return events;
        }, cancellationToken);

    // ----- cursors -----

    public Task<FolderCursor?> GetCursorAsync(string planName, string migration, string mailbox, string folder, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var command = Command(connection, null,
                "SELECT uid_validity, uid_next, highest_modseq FROM cursors WHERE plan = $plan AND migration = $migration AND mailbox = $mailbox AND folder = $folder",
                ("$plan", planName), ("$migration", migration), ("$mailbox", mailbox), ("$folder", folder));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            // MODSEQ is unsigned 64-bit; it is stored as the same bits in SQLite's signed integer.
            ulong? modSeq = reader.IsDBNull(2) ? null : unchecked((ulong)reader.GetInt64(2));
            return new FolderCursor(reader.GetInt64(0), reader.GetInt64(1), modSeq);
        }, cancellationToken);

    public Task SaveCursorAsync(string planName, string migration, string mailbox, string folder, FolderCursor cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        return WriteSharingCommitAsync((connection, transaction) => Execute(connection, transaction, """
                INSERT INTO cursors (plan, migration, mailbox, folder, uid_validity, uid_next, highest_modseq, updated_at)
                VALUES ($plan, $migration, $mailbox, $folder, $validity, $next, $modseq, $updated)
                ON CONFLICT (plan, migration, mailbox, folder) DO UPDATE SET
                    uid_validity = excluded.uid_validity, uid_next = excluded.uid_next,
                    highest_modseq = excluded.highest_modseq, updated_at = excluded.updated_at
                """,
                ("$plan", planName), ("$migration", migration), ("$mailbox", mailbox), ("$folder", folder),
                ("$validity", cursor.UidValidity), ("$next", cursor.UidNext),
                ("$modseq", cursor.HighestModSeq is { } modSeq ? unchecked((long)modSeq) : null),
                ("$updated", FormatTime(DateTimeOffset.UtcNow))),
            cancellationToken);
    }

    // ----- runs -----

    public Task<long> StartRunAsync(string planName, string command, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            using var insert = Command(connection, null,
                "INSERT INTO runs (plan, command, host, pid, started_at) VALUES ($plan, $command, $host, $pid, $started) RETURNING run_id",
                ("$plan", planName), ("$command", command), ("$host", Environment.MachineName),
                ("$pid", ProcessIdentity.CurrentProcessId), ("$started", FormatTime(DateTimeOffset.UtcNow)));
            return Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task FinishRunAsync(long runId, string outcome, string summaryJson, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            var changed = Execute(connection, null,
                "UPDATE runs SET finished_at = $finished, outcome = $outcome, summary_json = $summary WHERE run_id = $run",
                ("$finished", FormatTime(DateTimeOffset.UtcNow)), ("$outcome", outcome), ("$summary", summaryJson), ("$run", runId));
            return changed == 0
                ? throw new StateStoreException(string.Create(CultureInfo.InvariantCulture, $"state database '{_databasePath}' has no run {runId} to finish."))
                : 0;
        }, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> GetRunsAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<RunRecord>>(connection =>
        {
            using var command = Command(connection, null,
                "SELECT run_id, plan, command, started_at, finished_at, outcome, summary_json FROM runs WHERE plan = $plan ORDER BY run_id",
                ("$plan", planName));
            using var reader = command.ExecuteReader();
            var runs = new List<RunRecord>();
            while (reader.Read())
            {
                runs.Add(new RunRecord(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    ParseTime(reader.GetString(3)),
                    _rows.ReadNullableTime(reader, 4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6)));
            }

            return runs;
        }, cancellationToken);

    // ----- totals -----

    /// <summary>
    /// Per (migration, mailbox): ledger entries with outcome copied (count and bytes) and present, and the distinct messages
    /// with filtered / bad-item / warning events. A bad item that has been copied since (it is in the ledger) no longer counts.
    /// </summary>
    public Task<IReadOnlyList<MailboxTotals>> GetMailboxTotalsAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<MailboxTotals>>(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            var totals = new SortedDictionary<(string Migration, string Mailbox), long[]>();
            long[] Slot(string migration, string mailbox)
            {
                if (!totals.TryGetValue((migration, mailbox), out var slot))
                {
                    slot = new long[7];
                    totals[(migration, mailbox)] = slot;
                }

                return slot;
            }

            using (var ledger = Command(connection, transaction, """
                       SELECT migration, mailbox,
                              sum(outcome = 'copied'), sum(CASE WHEN outcome = 'copied' THEN size ELSE 0 END), sum(outcome = 'present')
                       FROM ledger WHERE plan = $plan GROUP BY migration, mailbox
                       """, ("$plan", planName)))
            using (var reader = ledger.ExecuteReader())
            {
                while (reader.Read())
                {
                    var slot = Slot(reader.GetString(0), reader.GetString(1));
                    slot[0] = reader.GetInt64(2);
                    slot[1] = reader.GetInt64(3);
                    slot[2] = reader.GetInt64(4);
                }
            }

            using (var events = Command(connection, transaction, """
                       SELECT e.migration, e.mailbox, e.kind, count(DISTINCT e.folder || char(0) || e.source_id)
                       FROM item_events e
                       WHERE e.plan = $plan AND e.kind IN ('filtered', 'bad-item', 'warning', 'placed-elsewhere')
                         AND (e.kind <> 'bad-item' OR NOT EXISTS (
                             SELECT 1 FROM ledger l
                             WHERE l.plan = e.plan AND l.migration = e.migration AND l.mailbox = e.mailbox AND l.folder = e.folder AND l.source_id = e.source_id))
                       GROUP BY e.migration, e.mailbox, e.kind
                       """, ("$plan", planName)))
            using (var reader = events.ExecuteReader())
            {
                while (reader.Read())
                {
                    var slot = Slot(reader.GetString(0), reader.GetString(1));
                    var index = reader.GetString(2) switch
                    {
                        "filtered" => 3,
                        "bad-item" => 4,
                        "warning" => 5,
                        _ => 6,
                    };
                    slot[index] = reader.GetInt64(3);
                }
            }

            transaction.Commit();
            return totals.Select(pair => new MailboxTotals(pair.Key.Migration, pair.Key.Mailbox, pair.Value[0], pair.Value[1], pair.Value[2], pair.Value[3], pair.Value[4], pair.Value[5], pair.Value[6]))
                .ToList();
        }, cancellationToken);

    // ----- maintenance -----

    /// <summary>Runs SQLite's quick integrity check over the whole file (slow on a large ledger); returns the problems found, empty when sound.</summary>
    public Task<IReadOnlyList<string>> CheckIntegrityAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>(connection =>
        {
            using var command = Command(connection, null, "PRAGMA quick_check");
            using var reader = command.ExecuteReader();
            var problems = new List<string>();
            while (reader.Read())
            {
                var line = reader.GetString(0);
                if (!string.Equals(line, "ok", StringComparison.Ordinal))
                {
                    problems.Add(line);
                }
            }

            return problems;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _writeGate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            // Locks this store still holds are released: the plan is no longer in use by this process.
            foreach (var (token, planName) in _heldLockTokens)
            {
                try
                {
                    Execute(_writer, null, "DELETE FROM locks WHERE plan = $plan AND token = $token", ("$plan", planName), ("$token", token));
                }
                catch (SqliteException)
                {
                    // The file is unusable; a stale lock is taken over on the next run because this process will be gone.
                }
            }

            _heldLockTokens.Clear();
            _disposed = true;
            while (_idleReaders.TryTake(out var reader))
            {
                reader.Dispose();
            }

            // Closing the last connection checkpoints the log into the main file and removes the -wal file.
            DisposePrepared();
            _writer.Dispose();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // ----- plumbing -----

    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        SqliteConnection? connection = null;
        try
        {
            connection = RentReader();
            var result = work(connection);
            ReturnReader(connection);
            connection = null;
            return Task.FromResult(result);
        }
        catch (SqliteException ex)
        {
            throw StateStoreMessages.Translate(_databasePath, ex);
        }
        finally
        {
            // A connection that failed mid-read may be inside a transaction: it is not reused.
            connection?.Dispose();
        }
    }

    private SqliteConnection RentReader()
    {
        if (_idleReaders.TryTake(out var idle))
        {
            return idle;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, null, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA query_only = 1"));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void ReturnReader(SqliteConnection connection)
    {
        if (_disposed || _idleReaders.Count >= MaxIdleReaders)
        {
            connection.Dispose();
            return;
        }

        _idleReaders.Add(connection);
        // DisposeAsync may have drained the pool between the check and the add.
        if (_disposed && _idleReaders.TryTake(out var late))
        {
            late.Dispose();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, DbValue(value));
        }

        return command;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static SqliteParameter[] AddParameters(SqliteCommand command, params string[] names)
    {
        var parameters = new SqliteParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            parameters[i] = command.Parameters.Add(new SqliteParameter(names[i], DBNull.Value));
        }

        return parameters;
    }

    private static object DbValue(object? value) => value ?? DBNull.Value;

    /// <summary>
    /// <see cref="TimestampFormat"/>, written through the round-trip format "O", which gives the same text for a UTC time
    /// (<c>TimestampTextTests</c>) without the custom-format parser: these run inside the state's one writer for every step
    /// record, and the custom path's digit formatting is a generic method the composite image runs unoptimized.
    /// </summary>
    internal static string FormatTime(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new StateStoreException($"state database '{_databasePath}' holds an unreadable timestamp '{text}'. {StateStoreMessages.MoveAwayAdvice(_databasePath)}");

    /// <summary>Row mapping shared with the PostgreSQL store; SQLite keeps times as text (<see cref="TimestampFormat"/>).</summary>
    private sealed class SqliteRows(SqliteStateStore store, string location) : StateRowReader(location)
    {
        public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => store.ParseTime(reader.GetString(ordinal));
    }

    private sealed record StoredLock(LockOwner Owner, string? ProcessStart);

    private sealed class PlanLock(SqliteStateStore store, string planName, string token) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await store.ReleaseLockAsync(planName, token);
            }
        }
    }
}
