using System.Collections.Concurrent;
using System.Diagnostics;

namespace MigrationEngine.Adapters.Graph.Http;

/// <summary>
/// Exchange Online's limits for one application and mailbox, one instance per mailbox shared by every pipeline that
/// sends on its behalf (Graph calls, $batch, upload-session PUTs): 4 concurrent requests, 10,000 requests per 10
/// minutes, 150 MB of uploads per 5 minutes (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits).
/// </summary>
internal sealed class MailboxBudgets(GraphTargetOptions options)
{
    private readonly ConcurrentDictionary<string, MailboxLimits> _mailboxes = new(StringComparer.OrdinalIgnoreCase);

    public MailboxLimits For(string mailbox) => _mailboxes.GetOrAdd(mailbox, _ => new MailboxLimits(options));

    internal sealed class MailboxLimits(GraphTargetOptions options)
    {
        private readonly object _windows = new();
        private readonly SlidingWindowBudget _requests = new(options.RequestBudget, options.RequestBudgetWindow);
        private readonly SlidingWindowBudget _uploads = new(options.UploadBudgetBytes, options.UploadBudgetWindow);

        public ConcurrencyGate Concurrency { get; } = new(options.MaxConcurrentRequestsPerMailbox);

        /// <summary>
        /// Waits until <paramref name="requests"/> and <paramref name="bytes"/> both fit their windows, then charges both at
        /// once; returns how long it waited.
        /// </summary>
        public async Task<TimeSpan> ChargeAsync(long requests, long bytes, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var waited = false;
            while (true)
            {
                TimeSpan delay;
                lock (_windows)
                {
                    var now = Stopwatch.GetTimestamp();
                    var forRequests = _requests.DelayFor(requests, now);
                    var forBytes = _uploads.DelayFor(bytes, now);
                    delay = forRequests > forBytes ? forRequests : forBytes;
                    if (delay == TimeSpan.Zero)
                    {
                        _requests.Charge(requests, now);
                        _uploads.Charge(bytes, now);
                        return waited ? Stopwatch.GetElapsedTime(started, now) : TimeSpan.Zero;
                    }
                }

                waited = true;
                await Task.Delay(delay, cancellationToken);
            }
        }
    }
}
