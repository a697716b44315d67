using System.Globalization;

namespace MigrationEngine.Core.State;

/// <summary>
/// A worker's place in the plan's current round: the applies whose lives overlap (or that join while the round waits for
/// the number of workers expected) form one round, and a mailbox finished in this round by any of them is not run again.
/// </summary>
public sealed record WorkerRegistration(long WorkerId, long RoundId, DateTimeOffset RoundStartedAt);

/// <summary>One apply of the plan as a worker: who, since when, its last heartbeat, and what it has done so far.</summary>
public sealed record WorkerRecord(
    long WorkerId,
    long RoundId,
    string Host,
    int ProcessId,
    string? ProcessStart,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? FinishedAt,
    string? Outcome,
    int? Expected,
    long Messages,
    int Mailboxes,
    bool RendersReports)
{
    /// <summary>Messages per second over the worker's life so far (up to its last heartbeat or its end).</summary>
    public double MessagesPerSecond
    {
        get
        {
            var seconds = ((FinishedAt ?? HeartbeatAt) - StartedAt).TotalSeconds;
            return seconds <= 0 ? 0 : Messages / seconds;
        }
    }

    /// <summary>Unfinished, heartbeat not expired, and (on this host) the process still runs: the one rule of the leases.</summary>
    public bool IsLive(DateTimeOffset now) =>
        FinishedAt is null
        && ExpiresAt > now
        && (!string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase) || ProcessIdentity.IsAlive(ProcessId, ProcessStart));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"worker {WorkerId} ({Host} pid {ProcessId})");
}

/// <summary>Lease keys that are not mailboxes.</summary>
public static class WorkerLeaseKeys
{
    /// <summary>The lease of a migration's steps that are not per mailbox (Exchange-native batches); no address looks like it.</summary>
    public const string Migration = "*";
}

/// <summary>How a holder's time on a mailbox ended, in the lease history.</summary>
public enum LeaseEnd
{
    /// <summary>Still held (or its holder vanished and nobody has taken it over yet).</summary>
    Open,

    /// <summary>The holder gave it up when done.</summary>
    Released,

    /// <summary>Another apply took it over after it expired or its holder died.</summary>
    TakenOver,

    /// <summary>Broken by <c>migrate unlock --force</c>.</summary>
    Broken,
}

/// <summary>
/// One holding of a mailbox's lease: which token, who, from when, and until when. For a holding taken over,
/// <see cref="EndedAt"/> is the earlier of its expiry and the takeover: no holder can write after it (the token fences it).
/// </summary>
public sealed record LeaseHistoryEntry(string Migration, string Mailbox, long Token, string Host, int ProcessId, DateTimeOffset AcquiredAt, DateTimeOffset? EndedAt, LeaseEnd End);

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
