namespace MigrationEngine.Adapters.Graph.Http;

/// <summary>
/// Re-sends a request whose connection dropped (reset, closed mid-response), which the SDK's retry handler does not
/// do. Only requests whose effect is idempotent are re-sent: a POST that creates an item could be applied twice,
/// so the target checks whether the item exists before importing it again.
/// </summary>
internal sealed class ConnectionRetryHandler(GraphTargetOptions options, GraphTargetMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var attempt = 1;
        while (true)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < options.ConnectionAttempts && IsIdempotent(request) && !cancellationToken.IsCancellationRequested)
            {
                metrics.AddConnectionRetry();
                await Task.Delay(options.ConnectionRetryDelay * (1 << (attempt - 1)), cancellationToken);
                attempt++;
            }
        }
    }

    private static bool IsIdempotent(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Put || request.Method == HttpMethod.Patch ||
        request.Method == HttpMethod.Delete || request.Method == HttpMethod.Head ||
        MailboxRequestOption.From(request)?.Idempotent == true;
}
