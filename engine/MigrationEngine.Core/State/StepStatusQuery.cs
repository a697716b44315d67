namespace MigrationEngine.Core.State;

/// <summary>The SQL both stores use: a step id of the graph has at most two '/' (folder steps add the folder path).</summary>
public static class StepStatusQuery
{
    /// <summary>Selects step_id, kind, input_hash, status, error and (batch steps only) result_json of the plan's graph-level steps; the plan is parameter <paramref name="planParameter"/>.</summary>
    public static string Sql(string table, string planParameter) =>
        $"SELECT step_id, kind, input_hash, status, error, CASE WHEN kind IN ('start-batch', 'complete-batch', 'copy-contacts', 'copy-calendar') THEN result_json END FROM {table} " +
        $"WHERE plan = {planParameter} AND length(step_id) - length(replace(step_id, '/', '')) <= 2";
}
