using System.Collections.Concurrent;

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

    /// <summary>Most requests (batch steps counted one by one) that were in flight at once for any one mailbox.</summary>
    public int PeakInFlight => _mailboxes.Values.Select(m => m.Concurrency.Peak).DefaultIfEmpty(0).Max();

    internal sealed class MailboxLimits(GraphTargetOptions options)
    {
        public ConcurrencyGate Concurrency { get; } = new(options.MaxConcurrentRequestsPerMailbox);
        public SlidingWindowBudget Requests { get; } = new(options.RequestBudget, options.RequestBudgetWindow);
        public SlidingWindowBudget Uploads { get; } = new(options.UploadBudgetBytes, options.UploadBudgetWindow);
    }
}
