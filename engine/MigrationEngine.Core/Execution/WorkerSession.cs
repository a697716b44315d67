using MigrationEngine.Core.State;
using Serilog;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// This apply as a worker of the plan, when the state is shared (<see cref="IWorkerStore"/>): registered in the plan's
/// current round, heartbeating with its progress (which also keeps the connection slots it holds), and finished at the end,
/// when the store says whether it is the round's last worker (the one that renders the reports).
/// </summary>
internal sealed class WorkerSession : IAsyncDisposable
{
    private readonly string _planName;
    private readonly TimeSpan _duration;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private PeriodicTimer? _timer;
    private Task? _heartbeat;
    private long _messages;
    private int _mailboxes;

    private WorkerSession(IWorkerStore store, string planName, TimeSpan duration, WorkerRegistration registration, ILogger logger)
    {
        Store = store;
        _planName = planName;
        _duration = duration;
        Registration = registration;
        _logger = logger;
    }

    public IWorkerStore Store { get; }

    public WorkerRegistration Registration { get; }

    public TimeSpan Duration => _duration;

    public string PlanName => _planName;

    /// <summary>Registers the worker; null when the store is not shared (SQLite), where applies run as before.</summary>
    public static async Task<WorkerSession?> StartAsync(IStateStore state, string planName, ExecutionOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (state is not IWorkerStore store)
        {
            return null;
        }

        var registration = await store.RegisterWorkerAsync(planName, LeaseIdentity.Current(options.Command), options.WorkersExpected, options.LeaseDuration,
            options.WorkerJoinWindow, cancellationToken);
        var session = new WorkerSession(store, planName, options.LeaseDuration, registration, logger);
        session._timer = new PeriodicTimer(session._duration / 3);
        session._heartbeat = session.HeartbeatAsync(session._timer);
        logger.Information("Worker {WorkerId} of plan {Plan}, round {Round} (started {RoundStarted:u})", registration.WorkerId, planName, registration.RoundId, registration.RoundStartedAt);
        return session;
    }

    /// <summary>How old the round's finished steps may be before a worker reads them again (one query, not one per mailbox).</summary>
    public static readonly TimeSpan FinishedStepsMaxAge = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _finishedGate = new(1, 1);
    private IReadOnlyDictionary<string, StepRecord> _finished = new Dictionary<string, StepRecord>();
    private long _finishedReadAt = long.MinValue;

    /// <summary>
    /// The step records the round's workers finished so far (read again when older than <see cref="FinishedStepsMaxAge"/>).
    /// What it holds stays true for the round: a step finished since the round began never becomes unfinished in it; what it
    /// lacks may have finished since, which the lease claim then finds out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, StepRecord>> FinishedStepsAsync(CancellationToken cancellationToken)
    {
        if (!FinishedStepsStale())
        {
            return _finished;
        }

        await _finishedGate.WaitAsync(cancellationToken);
        try
        {
            if (FinishedStepsStale())
            {
                _finished = await Store.GetStepRecordsFinishedSinceAsync(_planName, Registration.RoundStartedAt, cancellationToken);
                Interlocked.Exchange(ref _finishedReadAt, System.Diagnostics.Stopwatch.GetTimestamp());
            }

            return _finished;
        }
        finally
        {
            _finishedGate.Release();
        }
    }

    /// <summary>
    /// Whether the round's finished steps must be read (again). Never read yet is its own case: the elapsed time since
    /// <see cref="long.MinValue"/> overflows to a negative span, which passed for fresh, so the steps were never read and a
    /// worker claimed every mailbox the others had finished (3 round trips each), which this read was made to spare.
    /// </summary>
    private bool FinishedStepsStale()
    {
        var readAt = Interlocked.Read(ref _finishedReadAt);
        return readAt == long.MinValue || System.Diagnostics.Stopwatch.GetElapsedTime(readAt) >= FinishedStepsMaxAge;
    }

    public void CountMessages(int messages) => Interlocked.Add(ref _messages, messages);

    public void CountMailbox() => Interlocked.Increment(ref _mailboxes);

    /// <summary>Marks the worker finished; true when it is the last of its round and renders the reports.</summary>
    public async Task<bool> FinishAsync(string outcome)
    {
        await StopHeartbeatAsync();
        return await Store.FinishWorkerAsync(_planName, Registration.WorkerId, outcome, Interlocked.Read(ref _messages), Volatile.Read(ref _mailboxes), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopHeartbeatAsync();
        _stop.Dispose();
        _finishedGate.Dispose();
    }

    private async Task StopHeartbeatAsync()
    {
        // The timer first (see LeaseKeeper: a cancelled wait costs an exception with a file-and-line stack trace).
        _timer?.Dispose();
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        if (_heartbeat is not null)
        {
            await _heartbeat;
        }
    }

    private async Task HeartbeatAsync(PeriodicTimer timer)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(CancellationToken.None))
            {
                try
                {
                    await Store.HeartbeatWorkerAsync(_planName, Registration.WorkerId, _duration, Interlocked.Read(ref _messages), Volatile.Read(ref _mailboxes), _stop.Token);
                }
                catch (StateStoreException ex)
                {
                    // The mailbox leases have their own heartbeat and stop their runners when lost; this one only shows the
                    // worker in status and keeps its connection slots, which expire on their own if it stays unreachable.
                    _logger.Warning("Worker heartbeat failed: {Message}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Finished.
        }
    }
}

/// <summary>Counts what this worker processed for its heartbeat, and passes every event on to the operator's view.</summary>
internal sealed class WorkerCountingObserver(IExecutionObserver inner, WorkerSession worker) : IExecutionObserver
{
    public void MailboxStarted(string migration, string mailbox, long? expectedMessages) => inner.MailboxStarted(migration, mailbox, expectedMessages);

    public void MessagesProcessed(string migration, string mailbox, int messages, long bytes)
    {
        worker.CountMessages(messages);
        inner.MessagesProcessed(migration, mailbox, messages, bytes);
    }

    public void MailboxFinished(MailboxResult result)
    {
        if (result.Outcome != MailboxOutcome.DoneByOtherWorker)
        {
            worker.CountMailbox();
        }

        inner.MailboxFinished(result);
    }
}
