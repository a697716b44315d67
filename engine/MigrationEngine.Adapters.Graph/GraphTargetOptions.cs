namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// Tunables of the Graph target. Defaults follow Exchange Online's documented limits; tests and the benchmark
/// shrink the windows and timeouts so that they run in seconds.
/// </summary>
public sealed record GraphTargetOptions
{
    /// <summary>Exchange Online allows 4 concurrent requests per mailbox and application.</summary>
    public int MaxConcurrentRequestsPerMailbox { get; init; } = 4;

    /// <summary>Exchange Online allows 10,000 requests per 10 minutes per mailbox and application.</summary>
    public int RequestBudget { get; init; } = 10_000;

    public TimeSpan RequestBudgetWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Exchange Online allows 150 MB of uploads per 5 minutes per mailbox.</summary>
    public long UploadBudgetBytes { get; init; } = 150L * 1024 * 1024;

    public TimeSpan UploadBudgetWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Exchange Online's default maximum message size (35 MB); an admin may raise it up to 150 MB.</summary>
    public long MaxMessageSize { get; init; } = 36_700_160;

    /// <summary>
    /// Largest raw message sent through importMime. Graph takes at most 4 MB per request and importMime's body is
    /// base64 (4/3 of the raw size), so 3,000,000 raw bytes keep the request under 4,000,000 bytes.
    /// </summary>
    public int MaxImportMimeBytes { get; init; } = (int)MigrationEngine.Core.Inventory.SizeClasses.GraphRequest;

    /// <summary>Attachments up to 3 MB are posted inline; larger ones go through an upload session.</summary>
    public int InlineAttachmentLimit { get; init; } = 3 * 1024 * 1024;

    /// <summary>Upload-session chunk size: a multiple of 320 KiB and at most 4 MB (Graph's rule).</summary>
    public int UploadChunkSize { get; init; } = 10 * 320 * 1024;

    /// <summary>Retries of the SDK's retry handler on 429/503/504 (it honours Retry-After); 10 is the SDK's maximum.</summary>
    public int MaxRetries { get; init; } = 10;

    /// <summary>Back-off base (seconds) when the server gives no Retry-After.</summary>
    public int RetryDelaySeconds { get; init; } = 1;

    /// <summary>Attempts for a request whose connection dropped.</summary>
    public int ConnectionAttempts { get; init; } = 4;

    public TimeSpan ConnectionRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a provisioned mailbox may take to appear before the mailbox fails (retry later).</summary>
    public TimeSpan MailboxReadyTimeout { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan MailboxReadyFirstPoll { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MailboxReadyMaxPoll { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Messages imported in parallel within one AppendAsync call (the per-mailbox limiter caps requests anyway).</summary>
    public int AppendParallelism { get; init; } = 4;
}

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
