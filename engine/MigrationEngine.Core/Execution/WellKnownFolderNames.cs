namespace MigrationEngine.Core.Execution;

/// <summary>
/// The usual names of special folders where nothing flags them: file layouts (Thunderbird, Dovecot, Outlook exports) and
/// IMAP servers without SPECIAL-USE (RFC 6154) read with the generic preset, such as Apple's iCloud and Mail.app ("Sent
/// Messages", "Deleted Messages"), Yahoo ("Bulk Mail", "Draft") and British English ("Bin"). One list for every source and
/// for the Exchange batches' well-known folder tokens, so a folder called "Sent Messages" is the Sent folder whether it
/// arrives in a Maildir, an mbox export or over IMAP, or is named in an Exchange batch's folder list.
/// </summary>
public static class WellKnownFolderNames
{
    private static readonly Dictionary<string, SpecialUse> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["inbox"] = SpecialUse.Inbox,
        ["sent"] = SpecialUse.Sent,
        ["sent items"] = SpecialUse.Sent,
        ["sent messages"] = SpecialUse.Sent,
        ["sent mail"] = SpecialUse.Sent,
        ["drafts"] = SpecialUse.Drafts,
        ["draft"] = SpecialUse.Drafts,
        ["trash"] = SpecialUse.Trash,
        ["deleted items"] = SpecialUse.Trash,
        ["deleted messages"] = SpecialUse.Trash,
        ["bin"] = SpecialUse.Trash, // the Trash in British English (Gmail's en-GB label)
        ["junk"] = SpecialUse.Junk,
        ["spam"] = SpecialUse.Junk,
        ["junk e-mail"] = SpecialUse.Junk,
        ["junk email"] = SpecialUse.Junk,
        ["bulk mail"] = SpecialUse.Junk,
        ["archive"] = SpecialUse.Archive,
        ["archives"] = SpecialUse.Archive,
    };

    /// <summary>The role a top-level folder name gives (case ignored); <see cref="SpecialUse.None"/> for any other name.</summary>
    public static SpecialUse Of(string topLevelName) => Known.TryGetValue(topLevelName, out var use) ? use : SpecialUse.None;
}
