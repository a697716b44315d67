using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Inventory;

/// <summary>Adds up one folder's listing as it streams past: nothing but counts, the size classes and the largest few are kept.</summary>
internal sealed class FolderTally(SourceFolder folder, string? excludedBy, long? maxMessageSize)
{
    /// <summary>How many of a folder's largest messages are kept by name: enough for a report, bounded at any folder size.</summary>
    public const int LargestKept = 10;

    private readonly long[] _buckets = new long[SizeClasses.Bounds.Count + 1];
    private readonly PriorityQueue<LargeItem, long> _largest = new();
    private long _messages;
    private long _bytes;
    private long _aboveFilter;
    private DateTimeOffset? _oldest;
    private DateTimeOffset? _newest;

    public void Add(SourceMessage summary)
    {
        _messages++;
        _bytes += summary.Size;
        _buckets[SizeClasses.BucketOf(summary.Size)]++;
        if (summary.Size > maxMessageSize)
        {
            _aboveFilter++;
        }
        if (summary.InternalDate is { } date)
        {
            _oldest = _oldest is null || date < _oldest ? date : _oldest;
            _newest = _newest is null || date > _newest ? date : _newest;
        }

        _largest.Enqueue(new LargeItem(summary.SourceId, summary.Size, summary.InternalDate), summary.Size);
        if (_largest.Count > LargestKept)
        {
            _largest.Dequeue();
        }
    }

    public FolderInventory ToInventory()
    {
        var largest = new List<LargeItem>();
        while (_largest.TryDequeue(out var item, out _))
        {
            largest.Add(item);
        }

        largest.Reverse();
        return new FolderInventory
        {
            Path = folder.Path,
            SpecialUse = folder.SpecialUse,
            ExcludedBy = excludedBy,
            Messages = _messages,
            Bytes = _bytes,
            AboveFilter = _aboveFilter,
            Oldest = _oldest,
            Newest = _newest,
            SizeBuckets = _buckets,
            Largest = largest,
        };
    }
}
