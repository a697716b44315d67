using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>What one pass did.</summary>
public sealed record PimCopyResult(int Created, int Updated, int Unchanged, IReadOnlyList<string> Rejected, IReadOnlyList<string> Bad);

/// <summary>
/// The convergence rule the executor applies to contacts and calendars, without a ledger: an item whose key the target
/// lists with the same content hash is there already; with another hash it is replaced in place; otherwise it is created.
/// A pass that runs without state must therefore converge through the target's own listing.
/// </summary>
public static class PimCopy
{
    public static async Task<PimCopyResult> RunAsync(IPimSource source, IPimTarget target, IEnumerable<ItemKind> kinds)
    {
        var (created, updated, unchanged) = (0, 0, 0);
        var rejected = new List<string>();
        var bad = new List<string>();
        foreach (var kind in kinds)
        {
            foreach (var collection in await source.ListCollectionsAsync(kind, CancellationToken.None))
            {
                var into = await target.EnsureCollectionAsync(collection, CancellationToken.None);
                var present = (await target.ListItemsAsync(into, CancellationToken.None)).ToDictionary(i => i.Key, StringComparer.Ordinal);
                await foreach (var item in source.ReadItemsAsync(collection, CancellationToken.None))
                {
                    if (item.Problem is not null)
                    {
                        bad.Add($"{item.SourceId}: {item.Problem}");
                        continue;
                    }

                    present.TryGetValue(item.Key, out var there);
                    if (there is not null && there.ContentHash == item.ContentHash)
                    {
                        unchanged++;
                        continue;
                    }

                    var result = await target.WriteAsync(into, item, there?.TargetId, CancellationToken.None);
                    if (result.Rejected)
                    {
                        rejected.Add($"{item.Key}: {result.RejectionReason}");
                    }
                    else if (there is null)
                    {
                        created++;
                    }
                    else
                    {
                        updated++;
                    }
                }
            }
        }

        return new PimCopyResult(created, updated, unchanged, rejected, bad);
    }
}
