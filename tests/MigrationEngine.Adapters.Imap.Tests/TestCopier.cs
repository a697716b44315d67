using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// What the executor does with the adapters, reduced to the essentials: per folder ensure, list, fetch in batches, append.
/// On a transient failure it reopens both sides and skips what the target already holds (by dedup key, as a multiset).
/// </summary>
public static class TestCopier
{
    public sealed record Outcome(int Appended, int Rejected, int Retries);

    public static async Task<Outcome> CopyAsync(Func<Task<IMailSource>> openSource, Func<Task<IMailTarget>> openTarget, int batchSize = 100, int maxRetries = 3)
    {
        var retries = 0;
        var appended = 0;
        var rejected = 0;
        while (true)
        {
            await using var source = await openSource();
            await using var target = await openTarget();
            try
            {
                foreach (var folder in await source.ListFoldersAsync(CancellationToken.None))
                {
                    var targetFolder = await target.EnsureFolderAsync(folder.Path, folder.SpecialUse, CancellationToken.None);
                    var present = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var key in await target.ListMessageKeysAsync(targetFolder, CancellationToken.None))
                    {
                        present[key] = present.GetValueOrDefault(key) + 1;
                    }

                    var todo = new List<MessageSummary>();
                    await foreach (var summary in source.ListMessagesAsync(folder, null, CancellationToken.None))
                    {
                        if (present.TryGetValue(summary.DedupKey, out var count) && count > 0)
                        {
                            present[summary.DedupKey] = count - 1;
                            continue;
                        }

                        todo.Add(summary);
                    }

                    foreach (var batch in todo.Chunk(batchSize))
                    {
                        var contents = new List<MessageContent>();
                        try
                        {
                            await foreach (var content in source.FetchAsync(folder, batch, CancellationToken.None))
                            {
                                contents.Add(content);
                            }

                            var results = await target.AppendAsync(targetFolder, contents, CancellationToken.None);
                            appended += results.Count(r => !r.Rejected);
                            rejected += results.Count(r => r.Rejected);
                        }
                        finally
                        {
                            foreach (var content in contents)
                            {
                                await content.DisposeAsync();
                            }
                        }
                    }
                }

                return new Outcome(appended, rejected, retries);
            }
            catch (MigrationException ex) when (ex.Transient && retries < maxRetries)
            {
                retries++;
            }
        }
    }
}
