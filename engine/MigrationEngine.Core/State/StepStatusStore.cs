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
