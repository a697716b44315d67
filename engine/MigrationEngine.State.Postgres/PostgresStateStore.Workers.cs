using MigrationEngine.Core.State;
using Npgsql;

namespace MigrationEngine.State.Postgres;

/// <summary>
/// Workers of a plan: their registry and rounds, the lease history, and host connection slots. Registration and finishing
/// take a transaction-level advisory lock per plan, so that two workers starting or ending at once see each other.
/// </summary>
public sealed partial class PostgresStateStore : IWorkerStore
{
    private const string WorkerColumns =
        "worker_id, round_id, host, pid, process_start, started_at, heartbeat_at, expires_at, finished_at, outcome, expected, messages, mailboxes, renders_reports";

    public Task<WorkerRegistration> RegisterWorkerAsync(string planName, LeaseIdentity who, int? expected, TimeSpan duration, TimeSpan joinWindow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        return RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockWorkersAsync(connection, transaction, planName, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var latest = await ReadWorkersAsync(connection, transaction, planName, "AND round_id = (SELECT max(round_id) FROM migration_engine.workers WHERE plan = @plan)", cancellationToken);
            long workerId;
            await using (var next = Command(connection, transaction, "SELECT nextval(pg_get_serial_sequence('migration_engine.workers', 'worker_id'))"))
            {
                workerId = (long)(await next.ExecuteScalarAsync(cancellationToken))!;
            }

            var round = JoinableRound(latest, now, joinWindow);
            var roundId = round?.RoundId ?? workerId;
            DateTimeOffset roundStarted;
            if (round is null)
            {
                roundStarted = now;
            }
            else
            {
                await using var started = Command(connection, transaction, "SELECT min(round_started_at) FROM migration_engine.workers WHERE plan = @plan AND round_id = @round",
                    ("plan", planName), ("round", roundId));
                // timestamptz comes back from a scalar query as a UTC DateTime.
                roundStarted = new DateTimeOffset(DateTime.SpecifyKind((DateTime)(await started.ExecuteScalarAsync(cancellationToken))!, DateTimeKind.Utc));
            }

            await using (var insert = Command(connection, transaction, """
                             INSERT INTO migration_engine.workers (worker_id, plan, round_id, round_started_at, host, pid, process_start, command, expected, started_at, heartbeat_at, expires_at)
                             VALUES (@id, @plan, @round, @roundStarted, @host, @pid, @start, @command, @expected, @now, @now, @expires)
                             """,
                             ("id", workerId), ("plan", planName), ("round", roundId), ("roundStarted", roundStarted), ("host", who.Host), ("pid", who.ProcessId),
                             ("start", who.ProcessStart), ("command", who.Command), ("expected", expected), ("now", now), ("expires", now + duration)))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return new WorkerRegistration(workerId, roundId, roundStarted);
        }, cancellationToken);
    }

    /// <summary>
    /// The latest round is joined while one of its workers is live, or while it waits for the workers it expects (fewer
    /// joined, none has rendered the reports, and the last sign of life is within the join window: a CI job that starts late).
    /// </summary>
    private static WorkerRecord? JoinableRound(IReadOnlyList<WorkerRecord> latest, DateTimeOffset now, TimeSpan joinWindow)
    {
        if (latest.Count == 0)
        {
            return null;
        }

        if (latest.FirstOrDefault(w => w.IsLive(now)) is { } live)
        {
            return live;
        }

        var expected = latest.Max(w => w.Expected);
        var lastSign = latest.Max(w => w.FinishedAt ?? w.HeartbeatAt);
        return expected is { } count && latest.Count < count && !latest.Any(w => w.RendersReports) && now - lastSign < joinWindow ? latest[0] : null;
    }

    public Task HeartbeatWorkerAsync(string planName, long workerId, TimeSpan duration, long messages, int mailboxes, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            var now = DateTimeOffset.UtcNow;
            await using var command = Command(connection, null, """
                UPDATE migration_engine.workers SET heartbeat_at = @now, expires_at = @expires, messages = @messages, mailboxes = @mailboxes WHERE worker_id = @id AND plan = @plan;
                UPDATE migration_engine.host_slots SET expires_at = @expires WHERE plan = @plan AND worker_id = @id;
                """,
                ("now", now), ("expires", now + duration), ("messages", messages), ("mailboxes", mailboxes), ("id", workerId), ("plan", planName));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<bool> FinishWorkerAsync(string planName, long workerId, string outcome, long messages, int mailboxes, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockWorkersAsync(connection, transaction, planName, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            await using (var finish = Command(connection, transaction, """
                             UPDATE migration_engine.workers SET finished_at = @now, heartbeat_at = @now, outcome = @outcome, messages = @messages, mailboxes = @mailboxes
                             WHERE worker_id = @id AND plan = @plan;
                             UPDATE migration_engine.host_slots SET worker_id = NULL, expires_at = NULL WHERE plan = @plan AND worker_id = @id;
                             """,
                             ("now", now), ("outcome", outcome), ("messages", messages), ("mailboxes", mailboxes), ("id", workerId), ("plan", planName)))
            {
                await finish.ExecuteNonQueryAsync(cancellationToken);
            }

            var round = await ReadWorkersAsync(connection, transaction, planName, "AND round_id = (SELECT round_id FROM migration_engine.workers WHERE worker_id = @id)", cancellationToken,
                ("id", workerId));
            var expected = round.Max(w => w.Expected);
            var last = !round.Any(w => w.RendersReports)
                && !round.Any(w => w.WorkerId != workerId && w.IsLive(now))
                && (expected is null || round.Count >= expected);
            if (last)
            {
                await using var mark = Command(connection, transaction, "UPDATE migration_engine.workers SET renders_reports = true WHERE worker_id = @id", ("id", workerId));
                await mark.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return last;
        }, cancellationToken);

    public Task<IReadOnlyList<WorkerRecord>> GetWorkersAsync(string planName, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<WorkerRecord>>(async connection => await ReadWorkersAsync(connection, null, planName, string.Empty, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<LeaseHistoryEntry>> GetLeaseHistoryAsync(string planName, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<LeaseHistoryEntry>>(async connection =>
        {
            await using var command = Command(connection, null, """
                SELECT migration, mailbox, token, host, pid, acquired_at, ended_at, ended FROM migration_engine.lease_history
                WHERE plan = @plan ORDER BY migration, mailbox, token
                """, ("plan", planName));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var entries = new List<LeaseHistoryEntry>();
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(new LeaseHistoryEntry(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt32(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), ParseLeaseEnd(reader.IsDBNull(7) ? null : reader.GetString(7))));
            }

            return entries;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, StepRecord>> GetStepRecordsAsync(string planName, IReadOnlyCollection<string> stepIds, CancellationToken cancellationToken) =>
        ReadStepsAsync("step_id = ANY(@ids)", ("ids", stepIds.ToArray()), planName, cancellationToken);

    public Task<IReadOnlyDictionary<string, StepRecord>> GetStepRecordsFinishedSinceAsync(string planName, DateTimeOffset since, CancellationToken cancellationToken) =>
        ReadStepsAsync("finished_at >= @since", ("since", since.ToUniversalTime()), planName, cancellationToken);

    private Task<IReadOnlyDictionary<string, StepRecord>> ReadStepsAsync(string condition, (string Name, object Value) parameter, string planName, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyDictionary<string, StepRecord>>(async connection =>
        {
            await using var command = Command(connection, null,
                $"SELECT step_id, kind, input_hash, status, attempts, started_at, finished_at, error, result_json FROM migration_engine.steps WHERE plan = @plan AND {condition}",
                ("plan", planName), parameter);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var steps = new Dictionary<string, StepRecord>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var step = Rows.ReadStep(reader);
                steps[step.StepId] = step;
            }

            return steps;
        }, cancellationToken);

    public Task<int?> TryAcquireHostSlotAsync(string planName, string host, int cap, long workerId, TimeSpan duration, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            // SKIP LOCKED: workers asking at once take different free slots instead of queueing on the same row.
            await using (var make = Command(connection, null,
                             "INSERT INTO migration_engine.host_slots (plan, host, slot) SELECT @plan, @host, s FROM generate_series(1, @cap) AS s ON CONFLICT DO NOTHING",
                             ("plan", planName), ("host", host), ("cap", cap)))
            {
                await make.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = Command(connection, null, """
                WITH free AS (
                    SELECT slot FROM migration_engine.host_slots
                    WHERE plan = @plan AND host = @host AND slot <= @cap AND (worker_id IS NULL OR expires_at < now())
                    ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
                UPDATE migration_engine.host_slots AS h SET worker_id = @worker, expires_at = now() + @duration
                FROM free WHERE h.plan = @plan AND h.host = @host AND h.slot = free.slot
                RETURNING h.slot;
                """,
                ("plan", planName), ("host", host), ("cap", cap), ("worker", workerId), ("duration", duration));
            return await command.ExecuteScalarAsync(cancellationToken) is int slot ? (int?)slot : null;
        }, cancellationToken);

    public Task ReleaseHostSlotAsync(string planName, string host, int slot, long workerId, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = Command(connection, null,
                "UPDATE migration_engine.host_slots SET worker_id = NULL, expires_at = NULL WHERE plan = @plan AND host = @host AND slot = @slot AND worker_id = @worker",
                ("plan", planName), ("host", host), ("slot", slot), ("worker", workerId));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static async Task LockWorkersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string planName, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended('migration_engine.workers:' || @plan, 0))", ("plan", planName));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<WorkerRecord>> ReadWorkersAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string planName, string filter,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, $"SELECT {WorkerColumns} FROM migration_engine.workers WHERE plan = @plan {filter} ORDER BY worker_id",
            [("plan", planName), .. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var workers = new List<WorkerRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            workers.Add(new WorkerRecord(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetInt32(10),
                reader.GetInt64(11), reader.GetInt32(12), reader.GetBoolean(13)));
        }

        return workers;
    }

    private static LeaseEnd ParseLeaseEnd(string? text) => text switch
    {
        "released" => LeaseEnd.Released,
        "taken over" => LeaseEnd.TakenOver,
        "broken" => LeaseEnd.Broken,
        _ => LeaseEnd.Open,
    };
}
