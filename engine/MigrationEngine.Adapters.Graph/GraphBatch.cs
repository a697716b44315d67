using Microsoft.Graph;
using Microsoft.Graph.Core.Requests;
using Microsoft.Kiota.Abstractions;
using MigrationEngine.Adapters.Graph.Http;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// Sends one JSON $batch (1 to 20 steps, https://learn.microsoft.com/graph/json-batching) on behalf of a mailbox: the
/// request carries the mailbox's limiter key and its step count, so it is charged to the mailbox's budget as its steps.
/// The collection type the SDK recommends instead cannot take request options, so the batch is sent here.
/// </summary>
internal static class GraphBatch
{
    public const int StepLimit = 20;

#pragma warning disable CS0618
    public static BatchRequestContent NewContent(GraphConnection connection) => new(connection.Client);

    public static Task<string> AddStepAsync(BatchRequestContent content, RequestInformation step) => content.AddBatchRequestStepAsync(step);
#pragma warning restore CS0618

    /// <summary>The batch's answer (a 2xx; otherwise an <see cref="ApiException"/> with the status). The caller disposes it.</summary>
    public static async Task<HttpResponseMessage> SendAsync(GraphConnection connection, string userId, BatchRequestContent content, int steps,
        CancellationToken cancellationToken)
    {
        var request = await new BatchRequestBuilder(connection.Adapter).ToPostRequestInformationAsync(content, cancellationToken);
        // Steps that only read or set absolute values may be sent again after a dropped connection.
        request.AddRequestOptions([new MailboxRequestOption { Mailbox = userId, Idempotent = true, Steps = steps }]);
        // SendAsync fills the base URL in; building the native request ourselves, we must.
        request.PathParameters["baseurl"] = connection.Adapter.BaseUrl!;
        using var native = await connection.Adapter.ConvertToNativeRequestAsync<HttpRequestMessage>(request, cancellationToken)
            ?? throw new InvalidOperationException("the SDK built no $batch request");
        var response = await connection.Http.SendAsync(native, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new ApiException($"$batch answered {status}") { ResponseStatusCode = status };
        }

        return response;
    }
}
