namespace MigrationEngine.Adapters.Graph;

/// <summary>Counters for the run summary; thread-safe, shared by every mailbox opened by one factory.</summary>
public sealed class GraphTargetMetrics
{
    private long _requests;
    private long _messages;
    private long _retryAfterWaits;
    private long _throttleWaitTicks;
    private long _budgetWaitTicks;
    private long _connectionRetries;
    private long _mimeFallbacks;
    private long _rejected;
    private long _charged;
    private int _peakInFlight;

    /// <summary>HTTP requests sent to Graph (each attempt, each $batch counts once; token requests excluded).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests as Exchange Online counts them against a mailbox's budget: each step of a $batch counts once.</summary>
    public long ChargedRequests => Interlocked.Read(ref _charged);

    /// <summary>Most requests (batch steps one by one) in flight at once for one mailbox; Exchange Online allows 4.</summary>
    public int PeakInFlightPerMailbox => Volatile.Read(ref _peakInFlight);

    /// <summary>Messages written.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Answers 429/503 that carried a Retry-After the pipeline then waited for.</summary>
    public long RetryAfterWaits => Interlocked.Read(ref _retryAfterWaits);

    /// <summary>Total time the server asked us to wait (Retry-After) and we waited.</summary>
    public TimeSpan ThrottleWaitTime => TimeSpan.FromTicks(Interlocked.Read(ref _throttleWaitTicks));

    /// <summary>Total time spent waiting before sending so as to stay inside the per-mailbox budgets.</summary>
    public TimeSpan BudgetWaitTime => TimeSpan.FromTicks(Interlocked.Read(ref _budgetWaitTicks));

    /// <summary>Requests re-sent after a dropped connection.</summary>
    public long ConnectionRetries => Interlocked.Read(ref _connectionRetries);

    /// <summary>Messages too large for importMime that were imported in json mode.</summary>
    public long MimeFallbacks => Interlocked.Read(ref _mimeFallbacks);

    public long Rejected => Interlocked.Read(ref _rejected);

    public double RequestsPerMessage => Messages == 0 ? 0 : (double)Requests / Messages;

    internal void AddRequest(int steps = 1)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _charged, steps);
    }

    internal void ObserveInFlight(int inFlight)
    {
        var peak = Volatile.Read(ref _peakInFlight);
        while (inFlight > peak && Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak) != peak)
        {
            peak = Volatile.Read(ref _peakInFlight);
        }
    }

    internal void AddMessage() => Interlocked.Increment(ref _messages);

    internal void AddRetryAfter(TimeSpan wait)
    {
        Interlocked.Increment(ref _retryAfterWaits);
        Interlocked.Add(ref _throttleWaitTicks, wait.Ticks);
    }

    internal void AddBudgetWait(TimeSpan wait) => Interlocked.Add(ref _budgetWaitTicks, wait.Ticks);

    internal void AddConnectionRetry() => Interlocked.Increment(ref _connectionRetries);

    internal void AddMimeFallback() => Interlocked.Increment(ref _mimeFallbacks);

    internal void AddRejected() => Interlocked.Increment(ref _rejected);

    public override string ToString() =>
        $"messages={Messages} requests={Requests} requests/message={RequestsPerMessage:F3} chargedRequests={ChargedRequests} peakInFlight={PeakInFlightPerMailbox} retryAfterWaits={RetryAfterWaits} " +
        $"throttleWait={ThrottleWaitTime.TotalSeconds:F1}s budgetWait={BudgetWaitTime.TotalSeconds:F1}s connectionRetries={ConnectionRetries}";
}
