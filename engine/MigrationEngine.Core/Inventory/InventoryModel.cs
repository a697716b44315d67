using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Inventory;

/// <summary>One of a folder's largest messages (the source's id, its size and date; never its content).</summary>
public sealed record LargeItem(string SourceId, long Size, DateTimeOffset? Date);

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

/// <summary>The size classes reports and lint use: the bounds are the limits Microsoft documents for its targets.</summary>
public static class SizeClasses
{
    /// <summary>
    /// Largest raw message one Graph importMime request carries: requests are limited to 4 MB and the body is base64 (4/3 of
    /// the raw size), so 3,000,000 raw bytes (https://learn.microsoft.com/graph/api/mailfolder-importmime); the Graph target
    /// imports larger ones in JSON mode.
    /// </summary>
    public const long GraphRequest = 3_000_000;

    /// <summary>Exchange Online's default maximum message size (35 MB).</summary>
    public const long ExchangeDefault = 35L * 1024 * 1024;

    /// <summary>Exchange Online's highest maximum message size (150 MB).</summary>
    public const long ExchangeMaximum = 150L * 1024 * 1024;

    /// <summary>Upper bounds of the buckets, in bytes: up to 1 MB, 3,000,000 bytes, 35 MB, 150 MB; the last bucket is everything above.</summary>
    public static readonly IReadOnlyList<long> Bounds = [1L * 1024 * 1024, GraphRequest, ExchangeDefault, ExchangeMaximum];

    public static readonly IReadOnlyList<string> Labels = ["<=1MB", "<=3MB", "<=35MB", "<=150MB", ">150MB"];

    public static int BucketOf(long size)
    {
        for (var i = 0; i < Bounds.Count; i++)
        {
            if (size <= Bounds[i])
            {
                return i;
            }
        }

        return Bounds.Count;
    }
}

/// <summary>How the inventory of one mailbox ended.</summary>
public enum InventoryOutcome
{
    Read,
    /// <summary>The source is read by Exchange Online's migration service, not by the engine.</summary>
    NotRead,
    Failed,
}

/// <summary>An address book or calendar of a source mailbox: how many items it holds, their size, and how many the source cannot read.</summary>
public sealed record CollectionInventory(Execution.ItemKind Kind, string Path, int Items, long Bytes, int BadItems);

/// <summary>One mailbox's inventory: its folders, and whether the source looked like Gmail (labels as folders, All Mail).</summary>
public sealed record MailboxInventory
{
    public required string Migration { get; init; }
    public required string Source { get; init; }
    public required string Target { get; init; }
    public InventoryOutcome Outcome { get; init; } = InventoryOutcome.Read;
    public bool GmailShaped { get; init; }
    public IReadOnlyList<FolderInventory> Folders { get; init; } = [];

    /// <summary>Address books and calendars, for migrations whose <c>items</c> name contacts or calendar.</summary>
    public IReadOnlyList<CollectionInventory> Collections { get; init; } = [];
    public DateTimeOffset RecordedAt { get; init; }
    public Diagnostic? Failure { get; init; }

    /// <summary>
    /// Messages the mailbox holds as its user knows them. Gmail: All Mail, Spam and Trash (a label folder is a view of All
    /// Mail, so summing folders would count a message once per label); elsewhere every folder.
    /// </summary>
    public long Messages => Unique.Sum(f => f.Messages);

    /// <summary>Bytes to read from the source, counted as <see cref="Messages"/> are.</summary>
    public long Bytes => Unique.Sum(f => f.Bytes);

    public LargeItem? LargestItem => Folders.SelectMany(f => f.Largest).MaxBy(i => i.Size);

    /// <summary>The folders to move, each message once (see <see cref="Messages"/>); folders a rule leaves out are not counted.</summary>
    public IEnumerable<FolderInventory> Unique =>
        (GmailShaped && Folders.Any(f => f.SpecialUse == SpecialUse.All)
            ? Folders.Where(f => f.SpecialUse is SpecialUse.All or SpecialUse.Junk or SpecialUse.Trash)
            : Folders).Where(f => f.ExcludedBy is null);
}

/// <summary>The result of <c>migrate inventory</c>: every mailbox read, the lint findings, and how long it took.</summary>
public sealed record InventoryReport(string Plan, IReadOnlyList<MailboxInventory> Mailboxes, IReadOnlyList<Diagnostic> Findings, TimeSpan Elapsed)
{
    public long Messages => Mailboxes.Sum(m => m.Messages);
    public long Bytes => Mailboxes.Sum(m => m.Bytes);
    public bool HasErrors => Findings.Any(d => d.IsError);
}
