using System.Globalization;
using Microsoft.Data.Sqlite;
using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite;

public sealed partial class SqliteStateStore : IStateTransfer
{
    /// <summary>
    /// Steps, runs and item events through the store's own readers; ledger ids and the cursor list in one read transaction
    /// on a pooled reader. The caller holds the plan's lock, so nothing writes the plan meanwhile.
    /// </summary>
    public async Task<PlanStateSnapshot> ExportPlanStateAsync(string planName, CancellationToken cancellationToken)
    {
        var steps = (await GetStepsAsync(planName, cancellationToken)).Values.OrderBy(s => s.StepId, StringComparer.Ordinal).ToList();
        var runs = await GetRunsAsync(planName, cancellationToken);
        var events = await GetItemEventsAsync(planName, cancellationToken);
        var (ledger, cursors) = await ReadAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            var ledger = new List<LedgerRow>();
            using (var command = Command(connection, transaction, """
                       SELECT id, migration, mailbox, folder, folder_validity, source_id, message_id, dedup_key, sha256, size,
                              target_folder, target_id, outcome, recorded_at, run_id
                       FROM ledger WHERE plan = $plan ORDER BY id
                       """, ("$plan", planName)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    ledger.Add(new LedgerRow(reader.GetInt64(0), _rows.ReadLedgerEntry(reader, 1)));
                }
            }

            var cursors = new List<CursorRow>();
            using (var command = Command(connection, transaction,
                       "SELECT migration, mailbox, folder, uid_validity, uid_next, highest_modseq FROM cursors WHERE plan = $plan ORDER BY migration, mailbox, folder",
                       ("$plan", planName)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    cursors.Add(new CursorRow(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                        new FolderCursor(reader.GetInt64(3), reader.GetInt64(4), reader.IsDBNull(5) ? null : unchecked((ulong)reader.GetInt64(5)))));
                }
            }

            transaction.Commit();
            return (ledger, cursors);
        }, cancellationToken);

        return new PlanStateSnapshot(planName, runs, steps, ledger, events, cursors);
    }

    /// <summary>True when anything is recorded for the plan (a run, step, ledger entry, item event or cursor).</summary>
    public Task<bool> HasPlanStateAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var command = Command(connection, null, """
                SELECT EXISTS (SELECT 1 FROM runs WHERE plan = $plan)
                    OR EXISTS (SELECT 1 FROM steps WHERE plan = $plan)
                    OR EXISTS (SELECT 1 FROM ledger WHERE plan = $plan)
                    OR EXISTS (SELECT 1 FROM item_events WHERE plan = $plan)
                    OR EXISTS (SELECT 1 FROM cursors WHERE plan = $plan)
                """, ("$plan", planName));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) != 0;
        }, cancellationToken);

    /// <summary>
    /// Replaces the plan's state with the snapshot in one IMMEDIATE transaction on the write connection. Ledger and run ids
    /// are kept when no other plan uses ids in their range in this file; otherwise they are shifted past the highest id in
    /// use, keeping their order (AUTOINCREMENT follows explicit ids by itself). Returns whether the ids were kept.
    /// </summary>
    public Task<bool> ImportPlanStateAsync(PlanStateSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var plan = snapshot.PlanName;
            foreach (var table in new[] { "ledger", "item_events", "cursors", "steps", "runs" })
            {
                Execute(connection, transaction, $"DELETE FROM {table} WHERE plan = $plan", ("$plan", plan));
            }

            var runShift = Shift(connection, transaction, "runs", "run_id", snapshot.Runs.Select(r => r.RunId).ToList());
            var ledgerShift = Shift(connection, transaction, "ledger", "id", snapshot.Ledger.Select(r => r.Id).ToList());
            long RunId(long id) => snapshot.Runs.Count == 0 ? id : id + runShift;

            foreach (var run in snapshot.Runs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Execute(connection, transaction, """
                    INSERT INTO runs (run_id, plan, command, host, pid, started_at, finished_at, outcome, summary_json)
                    VALUES ($id, $plan, $command, 'imported', 0, $started, $finished, $outcome, $summary)
                    """, ("$id", run.RunId + runShift), ("$plan", plan), ("$command", run.Command), ("$started", FormatTime(run.StartedAt)),
                    ("$finished", FormatNullableTime(run.FinishedAt)), ("$outcome", run.Outcome), ("$summary", run.SummaryJson));
            }

            foreach (var step in snapshot.Steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Execute(connection, transaction, """
                    INSERT INTO steps (plan, step_id, kind, input_hash, status, attempts, started_at, finished_at, error, result_json)
                    VALUES ($plan, $id, $kind, $input, $status, $attempts, $started, $finished, $error, $result)
                    """, ("$plan", plan), ("$id", step.StepId), ("$kind", step.Kind), ("$input", step.InputHash),
                    ("$status", StateRowReader.FormatStatus(step.Status)), ("$attempts", step.Attempts), ("$started", FormatNullableTime(step.StartedAt)),
                    ("$finished", FormatNullableTime(step.FinishedAt)), ("$error", step.Error), ("$result", step.ResultJson));
            }

            foreach (var (id, entry) in snapshot.Ledger)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Execute(connection, transaction, """
                    INSERT INTO ledger (id, plan, migration, mailbox, folder, folder_validity, source_id, message_id, dedup_key, sha256, size,
                                        target_folder, target_id, outcome, recorded_at, run_id)
                    VALUES ($id, $plan, $migration, $mailbox, $folder, $validity, $source, $messageId, $dedup, $sha, $size, $targetFolder, $targetId, $outcome, $recorded, $run)
                    """, ("$id", id + ledgerShift), ("$plan", plan), ("$migration", entry.Migration), ("$mailbox", entry.Mailbox), ("$folder", entry.Folder),
                    ("$validity", entry.FolderValidity), ("$source", entry.SourceId), ("$messageId", entry.MessageId), ("$dedup", entry.DedupKey), ("$sha", entry.Sha256),
                    ("$size", entry.Size), ("$targetFolder", entry.TargetFolder), ("$targetId", entry.TargetId), ("$outcome", entry.Outcome),
                    ("$recorded", FormatTime(entry.RecordedAt)), ("$run", RunId(entry.RunId)));
            }

            foreach (var item in snapshot.ItemEvents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Execute(connection, transaction, """
                    INSERT INTO item_events (plan, migration, mailbox, folder, source_id, kind, reason, size, run_id, recorded_at)
                    VALUES ($plan, $migration, $mailbox, $folder, $source, $kind, $reason, $size, $run, $recorded)
                    """, ("$plan", plan), ("$migration", item.Migration), ("$mailbox", item.Mailbox), ("$folder", item.Folder),
                    ("$source", item.SourceId), ("$kind", item.Kind), ("$reason", item.Reason), ("$size", item.Size),
                    ("$run", RunId(item.RunId)), ("$recorded", FormatTime(item.RecordedAt)));
            }

            foreach (var cursor in snapshot.Cursors)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Execute(connection, transaction, """
                    INSERT INTO cursors (plan, migration, mailbox, folder, uid_validity, uid_next, highest_modseq, updated_at)
                    VALUES ($plan, $migration, $mailbox, $folder, $validity, $next, $modseq, $updated)
                    """, ("$plan", plan), ("$migration", cursor.Migration), ("$mailbox", cursor.Mailbox), ("$folder", cursor.Folder),
                    ("$validity", cursor.Cursor.UidValidity), ("$next", cursor.Cursor.UidNext),
                    ("$modseq", cursor.Cursor.HighestModSeq is { } modSeq ? unchecked((long)modSeq) : null), ("$updated", FormatTime(DateTimeOffset.UtcNow)));
            }

            transaction.Commit();
            return runShift == 0 && ledgerShift == 0;
        }, cancellationToken);
    }

    /// <summary>0 when no id in the range of <paramref name="ids"/> is in use (by another plan), else how far to move them to lie past every id in use.</summary>
    private static long Shift(SqliteConnection connection, SqliteTransaction transaction, string table, string column, List<long> ids)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        using (var clash = Command(connection, transaction, $"SELECT EXISTS (SELECT 1 FROM {table} WHERE {column} BETWEEN $min AND $max)", ("$min", ids.Min()), ("$max", ids.Max())))
        {
            if (Convert.ToInt64(clash.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                return 0;
            }
        }

        using var highest = Command(connection, transaction, $"SELECT coalesce(max({column}), 0) FROM {table}");
        return Convert.ToInt64(highest.ExecuteScalar(), CultureInfo.InvariantCulture) - ids.Min() + 1;
    }

    private static string? FormatNullableTime(DateTimeOffset? value) => value is { } time ? FormatTime(time) : null;
}
