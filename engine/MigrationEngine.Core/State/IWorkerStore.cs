
namespace MigrationEngine.Core.State;

/// <summary>
/// Workers of one plan on many machines, coordinated through a shared state (PostgreSQL): their registry and heartbeats,
/// the lease history, and the per-host connection slots that hold across workers. A store without it (SQLite, read-only
/// views) runs applies that still share mailboxes through leases, without rounds or shared connection caps.
/// </summary>
public interface IWorkerStore
{
    /// <summary>
    /// Registers this process as a worker of the plan: it joins the round of a live worker (or of a round still waiting for
    /// its expected workers within <paramref name="joinWindow"/>), else opens a new round.
    /// </summary>
    Task<WorkerRegistration> RegisterWorkerAsync(string planName, LeaseIdentity who, int? expected, TimeSpan duration, TimeSpan joinWindow, CancellationToken cancellationToken);

    /// <summary>Moves the worker's expiry (and that of the connection slots it holds) on and records its progress.</summary>
    Task HeartbeatWorkerAsync(string planName, long workerId, TimeSpan duration, long messages, int mailboxes, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the worker finished. Returns true for exactly one worker of the round: the one that finishes when at least the
    /// expected number of workers joined it and no other is live. That worker renders the reports.
    /// </summary>
    Task<bool> FinishWorkerAsync(string planName, long workerId, string outcome, long messages, int mailboxes, CancellationToken cancellationToken);

    Task<IReadOnlyList<WorkerRecord>> GetWorkersAsync(string planName, CancellationToken cancellationToken);

    Task<IReadOnlyList<LeaseHistoryEntry>> GetLeaseHistoryAsync(string planName, CancellationToken cancellationToken);

    /// <summary>The records of the named steps only (a mailbox's own steps), without reading the whole plan's.</summary>
    Task<IReadOnlyDictionary<string, StepRecord>> GetStepRecordsAsync(string planName, IReadOnlyCollection<string> stepIds, CancellationToken cancellationToken);

    /// <summary>
    /// The plan's step records that finished at or after <paramref name="since"/> (a round's start): what the round's workers
    /// have finished so far, read in one query so a worker skips those mailboxes without claiming each of them.
    /// </summary>
    Task<IReadOnlyDictionary<string, StepRecord>> GetStepRecordsFinishedSinceAsync(string planName, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Takes one of the host's <paramref name="cap"/> connection slots for the worker, or returns null when all are held.</summary>
    Task<int?> TryAcquireHostSlotAsync(string planName, string host, int cap, long workerId, TimeSpan duration, CancellationToken cancellationToken);

    Task ReleaseHostSlotAsync(string planName, string host, int slot, long workerId, CancellationToken cancellationToken);
}
