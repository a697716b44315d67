namespace MigrationEngine.Core.Execution;

public sealed record ExecutionOptions
{
    /// <summary>Re-run copy steps that are done as delta passes (only what arrived since), e.g. for a final sync before cutover.</summary>
    public bool Delta { get; init; }

    public IExecutionObserver Observer { get; init; } = NullObserver.Instance;

    /// <summary>Graceful stop (Ctrl+C): the batch in flight is finished and recorded, nothing new starts.</summary>
    public CancellationToken StopRequested { get; init; }

    /// <summary>Attempts for a transient failure (connection dropped, timeout) before the mailbox fails.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>How many times one step may wait because the server asked to (throttling) before it fails.</summary>
    public int MaxServerRequestedWaits { get; init; } = 1000;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public int BatchMessages { get; init; } = 100;

    public long BatchBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>Mailboxes open at once against one source host, across migrations.</summary>
    public int PerHostLimit { get; init; } = 16;

    public string Command { get; init; } = "apply";

    /// <summary>How long a mailbox's lease lasts unless renewed; the heartbeat renews it three times as often.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often a mailbox another apply holds is tried again, once this run has nothing else to do. Workers that ran out
    /// of mailboxes wait this way on the last ones others hold, so it is also how late the round's end is noticed: at 1 s
    /// the workers of a 40-mailbox benchmark ended about 0.9 s after the last mailbox was done. A try is one short
    /// transaction on the lease row.
    /// </summary>
    public TimeSpan LeaseRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>
    /// How many workers (applies of the plan, on any machine) the admin starts: the last of the round to finish renders the
    /// reports. Null: every apply renders them, as a single apply does.
    /// </summary>
    public int? WorkersExpected { get; init; }

    /// <summary>How long after its last sign of life a round that expects more workers can still be joined (a CI job that starts late).</summary>
    public TimeSpan WorkerJoinWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Where the state lies (a path, or a server without password): shown in target owner markers.</summary>
    public string StateLocation { get; init; } = "";
}
