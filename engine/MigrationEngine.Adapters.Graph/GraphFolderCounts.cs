using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Graph;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// Folder message counts (mailFolder totalItemCount, https://learn.microsoft.com/graph/api/resources/mailfolder) for a
/// mailbox, as cheaply as they can be had: a folder this run created and has not written to holds nothing (no request);
/// one folder is one GET; several are GET steps of $batch requests of up to 20. A folder whose count did not come
/// is left out: the caller then compares keys instead, which is always correct.
/// </summary>
internal sealed class GraphFolderCounts(GraphConnection connection, string userId)
{
    /// <summary>Folders this process created and has not written to, shared by every target opened on the connection
    /// (the copy and the verification may use different ones); keyed by mailbox and folder id.</summary>
    private ConcurrentDictionary<string, bool> CreatedEmpty => connection.CreatedEmptyFolders;

    /// <summary>A folder created by this run: empty until the first message is written to it.</summary>
    public void Created(string folderId) => CreatedEmpty[userId + "\n" + folderId] = true;

    public void Written(string folderId) => CreatedEmpty.TryRemove(userId + "\n" + folderId, out _);

    /// <summary>Counts by folder id.</summary>
    public async Task<Dictionary<string, int>> CountAsync(IReadOnlyList<string> folderIds, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var ask = new List<string>();
        foreach (var id in folderIds.Distinct(StringComparer.Ordinal))
        {
            if (CreatedEmpty.ContainsKey(userId + "\n" + id))
            {
                counts[id] = 0;
            }
            else
            {
                ask.Add(id);
            }
        }

        if (ask.Count == 1)
        {
            var found = await connection.Client.Users[userId].MailFolders[ask[0]].GetAsync(r => r.QueryParameters.Select = ["totalItemCount"], cancellationToken);
            if (found?.TotalItemCount is { } count)
            {
                counts[ask[0]] = count;
            }

            return counts;
        }

        foreach (var chunk in ask.Chunk(GraphBatch.StepLimit))
        {
            var content = GraphBatch.NewContent(connection);
            var steps = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var id in chunk)
            {
                var step = connection.Client.Users[userId].MailFolders[id].ToGetRequestInformation(r => r.QueryParameters.Select = ["totalItemCount"]);
                steps[await GraphBatch.AddStepAsync(content, step)] = id;
            }

            using var response = await GraphBatch.SendAsync(connection, userId, content, steps.Count, cancellationToken);
            var answers = new BatchResponseContent(response);
            foreach (var (stepId, status) in await answers.GetResponsesStatusCodesAsync())
            {
                if ((int)status != 200)
                {
                    continue;
                }

                using var answer = await answers.GetResponseByIdAsync(stepId);
                var body = answer?.Content is null ? null : JsonNode.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
                if (body?["totalItemCount"] is JsonValue value && value.TryGetValue<int>(out var count))
                {
                    counts[steps[stepId]] = count;
                }
            }
        }

        return counts;
    }
}
