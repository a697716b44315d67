using System.Net;
using System.Text.RegularExpressions;

namespace MigrationEngine.Adapters.Graph.Http;

/// <summary>
/// Innermost handler before the socket: every attempt (retries included) takes the mailbox's concurrency slots, is
/// charged to its request and upload budgets, and is counted. A $batch is charged as its steps: each step counts
/// against the request budget, and since Graph runs up to 4 steps of a batch without dependsOn in parallel, each
/// counted against the mailbox (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits), the
/// batch holds up to 4 slots while it runs. Throttling answers' Retry-After values are recorded here because the
/// SDK's retry handler (outside) does the waiting but does not report it.
/// </summary>
internal sealed partial class MailboxLimiterHandler(GraphTargetOptions options, GraphTargetMetrics metrics, MailboxBudgets budgets) : DelegatingHandler
{
    /// <summary>Steps of one $batch that Graph runs at the same time.</summary>
    internal const int BatchParallelism = 4;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var option = MailboxRequestOption.From(request);
        var mailbox = option?.Mailbox ?? MailboxOf(request.RequestUri);
        var bytes = request.Content?.Headers.ContentLength ?? 0;
        var steps = Math.Max(1, option?.Steps ?? 1);
        if (mailbox is null)
        {
            metrics.AddRequest(steps);
            return Inspect(await base.SendAsync(request, cancellationToken));
        }

        // Slots first, then the windows: a request is charged when it leaves, not while it waits for a slot, so the
        // client's windows never run ahead of the server's.
        var limits = budgets.For(mailbox);
        var slots = await limits.Concurrency.WaitAsync(Math.Min(steps, Math.Min(BatchParallelism, options.MaxConcurrentRequestsPerMailbox)), cancellationToken);
        try
        {
            var waited = await limits.ChargeAsync(steps, bytes, cancellationToken);
            if (waited > TimeSpan.Zero)
            {
                metrics.AddBudgetWait(waited);
            }

            metrics.ObserveInFlight(limits.Concurrency.InUse);
            metrics.AddRequest(steps);
            var response = await base.SendAsync(request, cancellationToken);

            // Read the body while holding the slots so the server has finished with the request before the next one starts.
            if (response.Content is not null)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
            }

            return Inspect(response);
        }
        finally
        {
            limits.Concurrency.Release(slots);
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

    /// <summary>
    /// The mailbox of an Outlook resource in a Graph path (/users/{id}/mailFolders..., /users/{id}/messages...) or an
    /// Outlook upload URL (/Users('id')/...). Directory requests (/users/{address}, assignLicense) are not mailbox requests.
    /// </summary>
    internal static string? MailboxOf(Uri? uri)
    {
        if (uri is null)
        {
            return null;
        }

        var match = UserSegment().Match(uri.AbsolutePath);
        return match.Success ? Uri.UnescapeDataString(match.Groups["a"].Success ? match.Groups["a"].Value : match.Groups["b"].Value) : null;
    }

    [GeneratedRegex(@"/users/(?<a>[^/()']+)/(?:mailFolders|messages)\b|/users\('(?<b>[^']+)'\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserSegment();
}
