using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Contacts and calendar items live in the same ledger as mail, in a reserved folder namespace, so both state stores
/// (SQLite and PostgreSQL), their export and import, the state hash and the lease fencing keep them without a schema change.
/// A row's folder is U+001F, the item kind and the collection's path (<c>\u001Fcontacts/Work</c>), which no mail folder
/// path can be (IMAP and the file sources never yield a control character there); its source id and dedup key are the
/// item's key (<see cref="Pim.PimKeys"/>), its sha256 the content hash it was written with, and its outcome one of the
/// item-* words below, which the mail totals do not count. A changed item is a new row with the next folder validity
/// (the unique index is per validity), so the latest row of a key is what the target holds.
/// </summary>
public static class PimLedger
{
    public const char Namespace = '\u001F';

    public const string Created = "item-created";
    public const string Present = "item-present";
    public const string Updated = "item-updated";

    /// <summary>The item event of a contact or calendar item not copied (mail's own is <c>bad-item</c>, which the mail totals count).</summary>
    public const string BadItemEvent = "item-bad";

    public static string Folder(ItemKind kind, string collectionPath) => $"{Namespace}{ItemCapabilities.Name(kind)}/{collectionPath}";

    public static bool IsItemFolder(string folder) => folder.Length > 0 && folder[0] == Namespace;

    /// <summary>How a report shows the folder: <c>contacts/Work</c>, <c>calendar</c> for the default calendar.</summary>
    public static string Display(string folder) => IsItemFolder(folder) ? folder[1..].TrimEnd('/') : folder;

    /// <summary>The kind a reserved folder belongs to, or null for a mail folder.</summary>
    public static ItemKind? KindOf(string folder)
    {
        if (!IsItemFolder(folder))
        {
            return null;
        }

        var slash = folder.IndexOf('/', StringComparison.Ordinal);
        return ItemCapabilities.Parse(slash < 0 ? folder[1..] : folder[1..slash]);
    }

    /// <summary>The latest row of each item (by folder and key) among a mailbox's ledger rows.</summary>
    public static Dictionary<(string Folder, string Key), LedgerEntry> Latest(IEnumerable<LedgerEntry> entries)
    {
        var latest = new Dictionary<(string, string), LedgerEntry>();
        foreach (var entry in entries)
        {
            if (!IsItemFolder(entry.Folder))
            {
                continue;
            }

            if (!latest.TryGetValue((entry.Folder, entry.SourceId), out var current) || entry.FolderValidity > current.FolderValidity)
            {
                latest[(entry.Folder, entry.SourceId)] = entry;
            }
        }

        return latest;
    }
}
