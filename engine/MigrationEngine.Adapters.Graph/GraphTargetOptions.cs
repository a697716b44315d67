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
