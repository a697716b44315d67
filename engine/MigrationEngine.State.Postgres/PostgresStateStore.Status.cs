using MigrationEngine.Core.State;

namespace MigrationEngine.State.Postgres;

/// <summary>The light read of step records that status uses (see <see cref="IStepStatusStore"/>).</summary>
public sealed partial class PostgresStateStore : IStepStatusStore
{
    public Task<IReadOnlyDictionary<string, StepRecord>> GetGraphStepStatusesAsync(string planName, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyDictionary<string, StepRecord>>(async connection =>
        {
            await using var command = Command(connection, null, StepStatusQuery.Sql("migration_engine.steps", "@plan"), ("plan", planName));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var steps = new Dictionary<string, StepRecord>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var step = Rows.ReadStepStatus(reader);
                steps[step.StepId] = step;
            }

            return steps;
        }, cancellationToken);
}
