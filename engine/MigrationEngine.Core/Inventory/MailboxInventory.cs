using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Inventory;

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
