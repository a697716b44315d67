using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// What importMime cannot carry, as plain values: read state, the follow-up flag, categories (Gmail labels with
/// <c>labelCopies: categories</c>), and our dedup key when Exchange's Message-ID would not reproduce the source's key. Every attempt builds a new SDK model from these values: a Graph
/// model that was serialized once tracks its properties as unchanged and would be sent again as an empty body <c>{}</c>.
/// </summary>
internal sealed record FlagPatch(string MessageId, bool Read, bool Flagged, string? DedupKey, IReadOnlyList<string> Categories)
{
    public static FlagPatch? For(string targetId, SourceMessage summary, string? messageId)
    {
        var read = summary.Flags.HasFlag(MailFlags.Seen);
        var flagged = summary.Flags.HasFlag(MailFlags.Flagged);
        var graphKey = messageId is null ? null : DedupKeys.Compute(messageId, null, null, null);
        var dedupKey = string.Equals(graphKey, summary.DedupKey, StringComparison.Ordinal) ? null : summary.DedupKey;
        return read || flagged || dedupKey is not null || summary.Categories.Count > 0
            ? new FlagPatch(targetId, read, flagged, dedupKey, summary.Categories)
            : null;
    }

    /// <summary>A fresh model holding only the properties to change (https://learn.microsoft.com/graph/api/message-update).</summary>
    public Message ToMessage()
    {
        var patch = new Message();
        if (Read)
        {
            patch.IsRead = true;
        }

        if (Flagged)
        {
            patch.Flag = new FollowupFlag { FlagStatus = FollowupFlagStatus.Flagged };
        }

        if (Categories.Count > 0)
        {
            // categories is one of message's writable properties (https://learn.microsoft.com/graph/api/message-update).
            patch.Categories = [.. Categories];
        }

        if (DedupKey is not null)
        {
            patch.SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = GraphMessageBuilder.DedupPropertyId, Value = DedupKey }];
        }

        return patch;
    }
}

/// <summary>
/// Sends <see cref="FlagPatch"/>es as PATCH steps of $batch requests of up to 20 (https://learn.microsoft.com/graph/json-batching).
/// A step answered 429/5xx is sent again after the longest Retry-After of the batch's answers, rebuilt from its values; a
/// batch lost to a dropped connection likewise. The batch carries the mailbox's limiter key and its step count.
/// </summary>
internal sealed class GraphFlagUpdates(GraphConnection connection, MailboxContext context, string userId)
{
    public const int BatchLimit = GraphBatch.StepLimit;

    private GraphTargetOptions Options => connection.Options;

    /// <summary>Sends every patch; returns the ones Graph refused for good (target message id to Graph's answer).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ApplyAsync(IReadOnlyList<FlagPatch> patches, CancellationToken cancellationToken)
    {
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        // Each step counts against the mailbox's request window, so a batch never holds more steps than the window allows.
        foreach (var chunk in patches.Chunk(Math.Clamp(Options.RequestBudget, 1, BatchLimit)))
        {
            var remaining = chunk.ToList();
            for (var attempt = 0; remaining.Count > 0; attempt++)
            {
                var (retry, wait) = await SendBatchAsync(remaining, attempt, refused, cancellationToken);
                if (retry.Count > 0 && attempt >= Options.MaxRetries)
                {
                    throw new MigrationException(Diagnose.GraphRequestFailed(context.Mailbox.Location,
                        "set read/flag state", context.Address, $"{retry.Count} updates still throttled after {attempt + 1} attempts"))
                    { Transient = true };
                }

                if (retry.Count > 0)
                {
                    connection.Metrics.AddRetryAfter(wait);
                    await Task.Delay(wait, cancellationToken);
                }

                remaining = retry;
            }
        }

        return refused;
    }

    /// <summary>One $batch; returns the patches to send again and how long to wait first.</summary>
    private async Task<(List<FlagPatch> Retry, TimeSpan Wait)> SendBatchAsync(List<FlagPatch> patches, int attempt, Dictionary<string, string> refused,
        CancellationToken cancellationToken)
    {
        var user = connection.Client.Users[userId];
        var content = GraphBatch.NewContent(connection);
        var steps = new Dictionary<string, FlagPatch>(StringComparer.Ordinal);
        foreach (var patch in patches)
        {
            steps[await GraphBatch.AddStepAsync(content, user.Messages[patch.MessageId].ToPatchRequestInformation(patch.ToMessage()))] = patch;
        }

        var retry = new List<FlagPatch>();
        var wait = TimeSpan.Zero;
        try
        {
            using var response = await GraphBatch.SendAsync(connection, userId, content, steps.Count, cancellationToken);
            var answers = new BatchResponseContent(response);
            foreach (var (stepId, status) in await answers.GetResponsesStatusCodesAsync())
            {
                if ((int)status < 300)
                {
                    continue;
                }

                using var answer = await answers.GetResponseByIdAsync(stepId);
                var body = answer?.Content is null ? string.Empty : await answer.Content.ReadAsStringAsync(cancellationToken);
                var (code, message) = ErrorOf(body);
                if (GraphFailures.Classify((int)status, code, itemRequest: true).IsRetried())
                {
                    retry.Add(steps[stepId]);
                    var delta = answer?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Options.RetryDelaySeconds);
                    wait = delta > wait ? delta : wait;
                }
                else
                {
                    // Permanent (404 ErrorItemNotFound, 400, 403 ...): sending it again gets the same answer.
                    var reason = $"{(int)status} {code}: {message}";
                    refused[steps[stepId].MessageId] = reason;
                    context.Logger.Warning("{Code}: setting read/flag state on message {MessageId} in {Mailbox} was refused: {Reason}",
                        DiagnosticCatalog.GraphFlagStateRefused.Code, steps[stepId].MessageId, context.Address, reason);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException && attempt < Options.MaxRetries)
        {
            retry = patches;
            wait = TimeSpan.FromSeconds(Options.RetryDelaySeconds);
        }

        return (retry, wait);
    }

    /// <summary>Graph's error code and message from a step's body (https://learn.microsoft.com/graph/errors), trimmed.</summary>
    private static (string? Code, string Message) ErrorOf(string body)
    {
        try
        {
            var error = System.Text.Json.Nodes.JsonNode.Parse(body)?["error"];
            var message = error?["message"]?.GetValue<string>() ?? string.Empty;
            return (error?["code"]?.GetValue<string>(), message.Length <= 300 ? message : message[..300]);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return (null, body.Length <= 300 ? body : body[..300]);
        }
    }
}
