namespace MigrationEngine.Core.State;

/// <summary>
/// A store that reads what <c>status</c> needs of the step records in one light query: the steps of the compiled graph
/// (ids with at most two '/': kind/migration/mailbox; not the per-folder copy steps), with their kind, input hash, status, error
/// and, for Exchange batch steps and the contacts and calendar steps, result (they keep their users' states and item counts there), not their timings. Reading every record with its timestamps parsed took seconds at 50,000 mailboxes.
/// Records it returns have no <see cref="StepRecord.StartedAt"/>, <see cref="StepRecord.FinishedAt"/> or attempts.
/// </summary>
public interface IStepStatusStore
{
    Task<IReadOnlyDictionary<string, StepRecord>> GetGraphStepStatusesAsync(string planName, CancellationToken cancellationToken);
}

/// <summary>The SQL both stores use: a step id of the graph has at most two '/' (folder steps add the folder path).</summary>
public static class StepStatusQuery
{
    /// <summary>Selects step_id, kind, input_hash, status, error and (batch steps only) result_json of the plan's graph-level steps; the plan is parameter <paramref name="planParameter"/>.</summary>
    public static string Sql(string table, string planParameter) =>
        $"SELECT step_id, kind, input_hash, status, error, CASE WHEN kind IN ('start-batch', 'complete-batch', 'copy-contacts', 'copy-calendar') THEN result_json END FROM {table} " +
        $"WHERE plan = {planParameter} AND length(step_id) - length(replace(step_id, '/', '')) <= 2";
}
