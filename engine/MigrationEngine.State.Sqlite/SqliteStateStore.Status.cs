using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite;

/// <summary>The light read of step records that status uses (see <see cref="IStepStatusStore"/>).</summary>
public sealed partial class SqliteStateStore : IStepStatusStore
{
    public Task<IReadOnlyDictionary<string, StepRecord>> GetGraphStepStatusesAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, StepRecord>>(connection =>
        {
            using var command = Command(connection, null, StepStatusQuery.Sql("steps", "$plan"), ("$plan", planName));
            using var reader = command.ExecuteReader();
            var steps = new Dictionary<string, StepRecord>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var step = _rows.ReadStepStatus(reader);
                steps[step.StepId] = step;
            }

            return steps;
        }, cancellationToken);
}
