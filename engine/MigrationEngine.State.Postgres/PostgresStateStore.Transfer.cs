using System.Globalization;
using MigrationEngine.Core.State;
using Npgsql;

namespace MigrationEngine.State.Postgres;

public sealed partial class PostgresStateStore : IStateTransfer
{
    /// <summary>Reads all of a plan's state in one snapshot (repeatable read).</summary>
    public Task<PlanStateSnapshot> ExportPlanStateAsync(string planName, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            var runs = new List<RunRecord>();
            await using (var command = Command(connection, transaction,
                             "SELECT run_id, plan, command, started_at, finished_at, outcome, summary_json FROM migration_engine.runs WHERE plan = @plan ORDER BY run_id", ("plan", planName)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    runs.Add(new RunRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                        Rows.ReadNullableTime(reader, 4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
                }
            }

            var ledger = new List<LedgerRow>();
            await using (var command = Command(connection, transaction, """
                             SELECT id, migration, mailbox, folder, folder_validity, source_id, message_id, dedup_key, sha256, size,
                                    target_folder, target_id, outcome, recorded_at, run_id
                             FROM migration_engine.ledger WHERE plan = @plan ORDER BY id
                             """, ("plan", planName)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    ledger.Add(new LedgerRow(reader.GetInt64(0), Rows.ReadLedgerEntry(reader, 1)));
                }
            }

            var cursors = new List<CursorRow>();
            await using (var command = Command(connection, transaction,
                             "SELECT migration, mailbox, folder, uid_validity, uid_next, highest_modseq FROM migration_engine.cursors WHERE plan = @plan ORDER BY migration, mailbox, folder",
                             ("plan", planName)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    cursors.Add(new CursorRow(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                        new FolderCursor(reader.GetInt64(3), reader.GetInt64(4), reader.IsDBNull(5) ? null : unchecked((ulong)reader.GetInt64(5)))));
                }
            }

            await transaction.CommitAsync(cancellationToken);
            var steps = (await GetStepsAsync(planName, cancellationToken)).Values.OrderBy(s => s.StepId, StringComparer.Ordinal).ToList();
            var events = await GetItemEventsAsync(planName, cancellationToken);
            return new PlanStateSnapshot(planName, runs, steps, ledger, events, cursors);
        }, cancellationToken);

    /// <summary>True when anything is recorded for the plan (a run, step, ledger entry, item event or cursor).</summary>
    public Task<bool> HasPlanStateAsync(string planName, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = Command(connection, null, """
                SELECT EXISTS (SELECT 1 FROM migration_engine.runs WHERE plan = @plan)
                    OR EXISTS (SELECT 1 FROM migration_engine.steps WHERE plan = @plan)
                    OR EXISTS (SELECT 1 FROM migration_engine.ledger WHERE plan = @plan)
                    OR EXISTS (SELECT 1 FROM migration_engine.item_events WHERE plan = @plan)
                    OR EXISTS (SELECT 1 FROM migration_engine.cursors WHERE plan = @plan)
                """, ("plan", planName));
            return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    /// <summary>
    /// Replaces the plan's state with the snapshot in one transaction. Ledger and run ids are kept when no other plan uses
    /// them in this database (then the state hash is the same as in the exporting store); otherwise they are shifted past
    /// the highest id in use, keeping their order. Returns whether the ids were kept.
    /// </summary>
    public Task<bool> ImportPlanStateAsync(PlanStateSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var plan = snapshot.PlanName;
            foreach (var table in new[] { "ledger", "item_events", "cursors", "steps", "runs" })
            {
                await using var delete = Command(connection, transaction, $"DELETE FROM migration_engine.{table} WHERE plan = @plan", ("plan", plan));
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            var runShift = await ShiftAsync(connection, transaction, "runs", "run_id", snapshot.Runs.Select(r => r.RunId).ToArray(), cancellationToken);
            var ledgerShift = await ShiftAsync(connection, transaction, "ledger", "id", snapshot.Ledger.Select(r => r.Id).ToArray(), cancellationToken);
            long RunId(long id) => snapshot.Runs.Count == 0 ? id : id + runShift;

            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var run in snapshot.Runs)
            {
                var command = new NpgsqlBatchCommand("""
                    INSERT INTO migration_engine.runs (run_id, plan, command, host, pid, started_at, finished_at, outcome, summary_json)
                    VALUES ($1, $2, $3, 'imported', 0, $4, $5, $6, $7)
                    """);
                AddPositional(command, run.RunId + runShift, plan, run.Command, run.StartedAt, run.FinishedAt, run.Outcome, run.SummaryJson);
                batch.BatchCommands.Add(command);
            }

            foreach (var step in snapshot.Steps)
            {
                var command = new NpgsqlBatchCommand("""
                    INSERT INTO migration_engine.steps (plan, step_id, kind, input_hash, status, attempts, started_at, finished_at, error, result_json)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    """);
                AddPositional(command, plan, step.StepId, step.Kind, step.InputHash, StateRowReader.FormatStatus(step.Status), step.Attempts, step.StartedAt, step.FinishedAt, step.Error, step.ResultJson);
                batch.BatchCommands.Add(command);
            }

            foreach (var (id, entry) in snapshot.Ledger)
            {
                var command = new NpgsqlBatchCommand("""
                    INSERT INTO migration_engine.ledger (id, plan, migration, mailbox, folder, folder_validity, source_id, message_id, dedup_key, sha256, size,
                                                         target_folder, target_id, outcome, recorded_at, run_id)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                    """);
                AddPositional(command, id + ledgerShift, plan, entry.Migration, entry.Mailbox, entry.Folder, entry.FolderValidity, entry.SourceId, entry.MessageId,
                    entry.DedupKey, entry.Sha256, entry.Size, entry.TargetFolder, entry.TargetId, entry.Outcome, entry.RecordedAt, RunId(entry.RunId));
                batch.BatchCommands.Add(command);
            }

            foreach (var item in snapshot.ItemEvents)
            {
                var command = new NpgsqlBatchCommand("""
                    INSERT INTO migration_engine.item_events (plan, migration, mailbox, folder, source_id, kind, reason, size, run_id, recorded_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    """);
                AddPositional(command, plan, item.Migration, item.Mailbox, item.Folder, item.SourceId, item.Kind, item.Reason, item.Size, RunId(item.RunId), item.RecordedAt);
                batch.BatchCommands.Add(command);
            }

            foreach (var cursor in snapshot.Cursors)
            {
                var command = new NpgsqlBatchCommand("""
                    INSERT INTO migration_engine.cursors (plan, migration, mailbox, folder, uid_validity, uid_next, highest_modseq, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, now())
                    """);
                AddPositional(command, plan, cursor.Migration, cursor.Mailbox, cursor.Folder, cursor.Cursor.UidValidity, cursor.Cursor.UidNext,
                    cursor.Cursor.HighestModSeq is { } modSeq ? unchecked((long)modSeq) : null);
                batch.BatchCommands.Add(command);
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }

            // Explicit ids do not advance an identity: move it past them so that new rows never collide.
            foreach (var (table, column) in new[] { ("runs", "run_id"), ("ledger", "id") })
            {
                await using var advance = Command(connection, transaction, $"""
                    SELECT setval(pg_get_serial_sequence('migration_engine.{table}', '{column}'),
                                  greatest((SELECT coalesce(max({column}), 0) FROM migration_engine.{table}),
                                           (SELECT last_value FROM pg_sequences WHERE schemaname = 'migration_engine' AND sequencename = '{table}_{column}_seq'),
                                           1))
                    """);
                await advance.ExecuteScalarAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return runShift == 0 && ledgerShift == 0;
        }, cancellationToken);
    }

    /// <summary>0 when none of the ids is in use (by another plan), else how far to move them to lie past every id in use.</summary>
    private static async Task<long> ShiftAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, string column, long[] ids, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
        {
            return 0;
        }

        await using var clash = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM migration_engine.{table} WHERE {column} = ANY(@ids))", connection, transaction);
        clash.Parameters.AddWithValue("ids", ids);
        if (!(bool)(await clash.ExecuteScalarAsync(cancellationToken))!)
        {
            return 0;
        }

        await using var highest = new NpgsqlCommand($"SELECT coalesce(max({column}), 0) FROM migration_engine.{table}", connection, transaction);
        var max = Convert.ToInt64(await highest.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return max - ids.Min() + 1;
    }
}
