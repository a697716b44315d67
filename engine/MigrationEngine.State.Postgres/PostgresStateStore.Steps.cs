using MigrationEngine.Core.State;
using Npgsql;

namespace MigrationEngine.State.Postgres;

/// <summary>Several step records in one round trip (a step's end and the next one's start, see <see cref="IStateStore.SaveStepsAsync"/>).</summary>
public sealed partial class PostgresStateStore
{
    /// <summary>One batch: its statements run in one implicit transaction, so the records are saved all or none.</summary>
    public Task SaveStepsAsync(string planName, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return RunAsync(async connection =>
        {
            await using var batch = new NpgsqlBatch(connection);
            foreach (var step in steps)
            {
                var command = new NpgsqlBatchCommand("""
                    INSERT INTO migration_engine.steps (plan, step_id, kind, input_hash, status, attempts, started_at, finished_at, error, result_json)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    ON CONFLICT (plan, step_id) DO UPDATE SET
                        kind = excluded.kind, input_hash = excluded.input_hash, status = excluded.status, attempts = excluded.attempts,
                        started_at = excluded.started_at, finished_at = excluded.finished_at, error = excluded.error, result_json = excluded.result_json
                    """);
                AddPositional(command, planName, step.StepId, step.Kind, step.InputHash, StateRowReader.FormatStatus(step.Status), step.Attempts,
                    Time(step.StartedAt), Time(step.FinishedAt), step.Error, step.ResultJson);
                batch.BatchCommands.Add(command);
            }

            return await batch.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }
}
