namespace MigrationEngine.Core.Inventory;

/// <summary>
/// Folder rules of Exchange Online mailboxes, in one place: the IMAP target's presets and the inventory's lint both use them.
/// Limits: "Exchange Online limits", mailbox folder limits
/// (https://learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits).
/// The Learn page itself is not in the reference library here; its table (1 million messages per folder, 10,000 subfolders
/// per folder, depth 300) was checked against a university's help page that quotes it ("Office 365 Email Limits",
/// answers.uillinois.edu), and against the page's own field descriptions as quoted by a Microsoft partner.
/// </summary>
public static class ExchangeFolderRules
{
    /// <summary>Exchange Online's maximum number of items in one mailbox folder (1 million).</summary>
    public const long MaxItemsPerFolder = 1_000_000;

    /// <summary>Exchange Online's maximum folder hierarchy depth (300).</summary>
    public const int MaxDepth = 300;

    /// <summary>Exchange Online's maximum number of subfolders in one mailbox folder (10,000): the owner can create no more.</summary>
    public const int MaxSubfolders = 10_000;

    /// <summary>
    /// Top-level names Exchange keeps for folders of non-mail items (and Outbox, which sends): mail copied into them is
    /// hidden from users or sent. Compared case-insensitively, as Exchange compares folder names.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Reserved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Calendar"] = "calendar",
        ["Contacts"] = "contacts",
        ["Tasks"] = "tasks",
        ["Notes"] = "notes",
        ["Journal"] = "journal",
        ["Outbox"] = "outbox (mail there is sent)",
        ["Sync Issues"] = "sync issues",
        ["Conversation History"] = "conversation history",
        ["Conflicts"] = "sync issues/conflicts",
        ["Local Failures"] = "sync issues/local failures",
        ["Server Failures"] = "sync issues/server failures",
        ["RSS Feeds"] = "RSS feeds",
        ["Suggested Contacts"] = "suggested contacts",
    };

    /// <summary>The reserved names as a set (for the IMAP presets).</summary>
    public static IReadOnlySet<string> ReservedNames { get; } = new HashSet<string>(Reserved.Keys, StringComparer.OrdinalIgnoreCase);

    /// <summary>Why a level of a folder path cannot be a folder name in Exchange Online, or null when it can.</summary>
    public static string? RefusedBecause(string level)
    {
        if (level.Length == 0)
        {
            return "has an empty level (two delimiters in a row)";
        }

        // Control characters do not survive as folder names (Graph's displayName and MAPI folder names are display text).
        var control = level.FirstOrDefault(char.IsControl);
        if (control != default)
        {
            return $"has a control character (U+{(int)control:X4}) in '{level}'";
        }

        return level.Trim().Length != level.Length ? $"has a level with spaces at its start or end ('{level}'), which Exchange Online trims" : null;
    }
}
