using System.Runtime.ExceptionServices;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// A large folder copied on several connection pairs: what the listing decided to copy is cut into contiguous ranges of
/// source ids (about equal in bytes), one per pair at most; the folder's own pair copies the first and the mailbox's other
/// pairs take the rest from the <see cref="RangeBoard"/> when they are free (any range nobody took, the folder's pair
/// copies too). Each range is appended in order by one pipeline, so the target keeps the source's order within a range.
/// The ledger is written per batch as before; a range that fails stops the others and the folder's attempt fails as a
/// whole, so the retry lists the folder again and looks in the target for what the interrupted batches left there.
/// </summary>
internal sealed partial class FolderCopy
{
    /// <summary>Listed messages of a split folder held before their ranges are copied: bounds the summaries in memory.</summary>
    private const int SegmentMessages = 20_000;

    private readonly ConnectionPair _pair;
    private readonly RangeBoard _board;
    private bool _split;

    /// <summary>
    /// Split when the mailbox has several pairs, the folder holds at least two batches and the source fetches any listed
    /// message on any connection of the mailbox (<see cref="IRangeFetchSource"/>). A folder whose count the source cannot
    /// tell before listing it (an mbox file, a tree of EML files) is split too: the listing decides, since a segment of less
    /// than two batches is one range, copied on the folder's own pair.
    /// </summary>
    private bool ShouldSplit() =>
        _board.Pairs > 1 && _source is IRangeFetchSource && (_folder.MessageCount is not { } count || count >= 2 * _run.Options.BatchMessages);

    private async Task CopyInRangesAsync(List<SourceMessage> messages)
    {
        // What the folder's pipeline started must be in before other pairs append.
        await _pipeline.DrainAsync();
        var parts = CutIntoRanges(messages, Math.Min(_board.Pairs, Math.Max(1, messages.Count / _run.Options.BatchMessages)));
        using var segment = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken);
        var ranges = parts.Select(part => new CopyRange(part, pair => CopyRangeAsync(pair, part, segment.Token), failure =>
        {
            // A stop lets every range finish its batch in flight; any other failure ends the others at once.
            if (failure is not StopRequestedException)
            {
                segment.Cancel();
            }
        })).ToList();
        _board.Post(ranges.Skip(1));
        foreach (var range in ranges)
        {
            if (range.TryClaim())
            {
                await range.RunOnAsync(_pair);
            }
        }

        try
        {
            await Task.WhenAll(ranges.Select(r => r.Done));
        }
        catch (Exception) when (ranges.Any(r => r.Done.IsFaulted))
        {
            var failures = ranges.Where(r => r.Done.IsFaulted).Select(r => r.Done.Exception!.InnerException!).ToList();
            if (failures.Any(f => f is StopRequestedException) && failures.All(f => f is StopRequestedException or OperationCanceledException))
            {
                await FlushRecordsAsync();
                throw new StopRequestedException();
            }

            // The failure that stopped the others, not the cancellations it caused.
            ExceptionDispatchInfo.Throw(failures.FirstOrDefault(f => f is not OperationCanceledException and not StopRequestedException) ?? failures[0]);
        }

        if (ranges.Count > 1)
        {
            _mailboxRun.Log.Debug("Copied {Count} messages of {Folder} in {Ranges} ranges on parallel connections", messages.Count, _folder.Path, ranges.Count);
        }
    }

    private async Task CopyRangeAsync(ConnectionPair pair, IReadOnlyList<SourceMessage> messages, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Opened like the folder's own pair: through the adapters, as every source and target session of a copy is.
        await pair.EnsureOpenAsync(cancellationToken);
        var pipeline = new BatchPipeline(this, pair.Source!, pair.Target!, cancellationToken);
        try
        {
            await pipeline.CopyAllAsync(messages);
        }
        catch (Exception ex)
        {
            await pipeline.AbandonAsync(ex);
            throw;
        }
    }

    /// <summary>Contiguous parts in the listing's order, about equal in bytes, none empty.</summary>
    internal static List<IReadOnlyList<SourceMessage>> CutIntoRanges(IReadOnlyList<SourceMessage> messages, int count)
    {
        var parts = new List<IReadOnlyList<SourceMessage>>(count);
        var total = messages.Sum(m => Math.Max(1, m.Size));
        long taken = 0;
        var start = 0;
        for (var part = 1; part <= count && start < messages.Count; part++)
        {
            var end = start;
            var goal = total * part / count;
            // Every part gets at least one message and leaves one for each part after it.
            while (end < messages.Count - (count - part) && (end == start || taken + Math.Max(1, messages[end].Size) <= goal || part == count))
            {
                taken += Math.Max(1, messages[end].Size);
                end++;
            }

            parts.Add(messages.Skip(start).Take(end - start).ToList());
            start = end;
        }

        return parts;
    }
}
