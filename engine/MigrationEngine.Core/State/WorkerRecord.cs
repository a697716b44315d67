using System.Globalization;

namespace MigrationEngine.Core.State;

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
