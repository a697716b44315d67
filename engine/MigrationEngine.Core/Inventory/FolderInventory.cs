using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Inventory;

/// <summary>
/// What inventory found in one source folder: counts, sizes and dates from the listing alone (IMAP: FETCH RFC822.SIZE and
/// INTERNALDATE; files: sizes and headers). <see cref="SizeBuckets"/> counts messages per <see cref="SizeClasses"/> bound.
/// </summary>
public sealed record FolderInventory
{
    public required string Path { get; init; }
    public SpecialUse SpecialUse { get; init; }

    /// <summary>The folder rule that leaves this folder out (it is listed, not counted in what is to move), or null.</summary>
    public string? ExcludedBy { get; init; }

    public long Messages { get; init; }
    public long Bytes { get; init; }

    /// <summary>Messages larger than the migration's <c>filters.maxMessageSize</c> (left out by that rule).</summary>
    public long AboveFilter { get; init; }

    public DateTimeOffset? Oldest { get; init; }
    public DateTimeOffset? Newest { get; init; }
    public IReadOnlyList<long> SizeBuckets { get; init; } = new long[SizeClasses.Bounds.Count + 1];
    public IReadOnlyList<LargeItem> Largest { get; init; } = [];

    /// <summary>Messages larger than <paramref name="bound"/>, one of <see cref="SizeClasses.Bounds"/>: exact, from the size classes.</summary>
    public long CountAbove(long bound)
    {
        var index = SizeClasses.Bounds.ToList().IndexOf(bound);
        return index < 0 ? throw new ArgumentOutOfRangeException(nameof(bound), "not a size class bound") : SizeBuckets.Skip(index + 1).Sum();
    }
}
