using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;

namespace MigrationEngine.Adapters.Graph.Http;

/// <summary>
/// Innermost handler before the socket: every attempt (retries included) takes one of the mailbox's concurrency
/// slots, is charged to its request and upload budgets, and is counted. Throttling answers' Retry-After values are
/// recorded here because the SDK's retry handler (outside) does the waiting but does not report it.
/// </summary>
internal sealed partial class MailboxLimiterHandler(GraphTargetOptions options, GraphTargetMetrics metrics) : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, MailboxLimits> _mailboxes = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var mailbox = MailboxRequestOption.From(request)?.Mailbox ?? MailboxOf(request.RequestUri);
        var bytes = request.Content?.Headers.ContentLength ?? 0;
        if (mailbox is null)
        {
            metrics.AddRequest(bytes);
            return Inspect(await base.SendAsync(request, cancellationToken));
        }

        var limits = _mailboxes.GetOrAdd(mailbox, _ => new MailboxLimits(options));
        var waited = await limits.Requests.AcquireAsync(1, cancellationToken);
        waited += await limits.Uploads.AcquireAsync(bytes, cancellationToken);
        if (waited > TimeSpan.Zero)
        {
            metrics.AddBudgetWait(waited);
        }

        await limits.Concurrency.WaitAsync(cancellationToken);
        try
        {
            metrics.AddRequest(bytes);
            var response = await base.SendAsync(request, cancellationToken);

            // Read the body while holding the slot so the server has finished with the request before the next one starts.
            if (response.Content is not null)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
            }

            return Inspect(response);
        }
        finally
        {
            limits.Concurrency.Release();
        }
    }

    private HttpResponseMessage Inspect(HttpResponseMessage response)
    {
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
        {
            var retryAfter = response.Headers.RetryAfter;
            var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
            if (wait is { } delay && delay > TimeSpan.Zero)
            {
                metrics.AddRetryAfter(delay);
            }
        }

        return response;
    }

    /// <summary>The mailbox named in a Graph path (/users/{id}/...) or an Outlook upload URL (/Users('id')/...).</summary>
    internal static string? MailboxOf(Uri? uri)
    {
        if (uri is null)
        {
            return null;
        }

        var match = UserSegment().Match(uri.AbsolutePath);
        return match.Success ? Uri.UnescapeDataString(match.Groups["a"].Success ? match.Groups["a"].Value : match.Groups["b"].Value) : null;
    }

    [GeneratedRegex(@"/users/(?<a>[^/()']+)|/users\('(?<b>[^']+)'\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserSegment();

    private sealed class MailboxLimits(GraphTargetOptions options)
    {
        public SemaphoreSlim Concurrency { get; } = new(options.MaxConcurrentRequestsPerMailbox, options.MaxConcurrentRequestsPerMailbox);
        public SlidingWindowBudget Requests { get; } = new(options.RequestBudget, options.RequestBudgetWindow);
        public SlidingWindowBudget Uploads { get; } = new(options.UploadBudgetBytes, options.UploadBudgetWindow);
    }
}
