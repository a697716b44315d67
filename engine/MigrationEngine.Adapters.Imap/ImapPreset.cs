using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Imap;

/// <summary>What a provider preset changes: default host and port, names of special folders, reserved names, limits.</summary>
internal sealed record ImapPreset(
    string Name,
    string? DefaultHost,
    IReadOnlyDictionary<SpecialUse, string> SpecialFolderNames,
    IReadOnlySet<string> ReservedTopLevelNames,
    long? MaxMessageSize)
{
    private static readonly IReadOnlyDictionary<SpecialUse, string> ExchangeNames = new Dictionary<SpecialUse, string>
    {
        [SpecialUse.Sent] = "Sent Items",
        [SpecialUse.Trash] = "Deleted Items",
        [SpecialUse.Junk] = "Junk Email",
        [SpecialUse.Drafts] = "Drafts",
        [SpecialUse.Archive] = "Archive",
    };

    private static readonly IReadOnlyDictionary<SpecialUse, string> GenericNames = new Dictionary<SpecialUse, string>
    {
        [SpecialUse.Sent] = "Sent",
        [SpecialUse.Trash] = "Trash",
        [SpecialUse.Junk] = "Junk",
        [SpecialUse.Drafts] = "Drafts",
        [SpecialUse.Archive] = "Archive",
    };

    private static readonly IReadOnlyDictionary<SpecialUse, string> GmailNames = new Dictionary<SpecialUse, string>
    {
        [SpecialUse.Sent] = "[Gmail]/Sent Mail",
        [SpecialUse.Trash] = "[Gmail]/Trash",
        [SpecialUse.Junk] = "[Gmail]/Spam",
        [SpecialUse.Drafts] = "[Gmail]/Drafts",
        [SpecialUse.All] = "[Gmail]/All Mail",
        [SpecialUse.Flagged] = "[Gmail]/Starred",
        [SpecialUse.Important] = "[Gmail]/Important",
    };

    // Exchange keeps these for non-mail items; mail copied into them would be hidden from users (one list, in Core).
    private static readonly IReadOnlySet<string> ExchangeReserved = MigrationEngine.Core.Inventory.ExchangeFolderRules.ReservedNames;

    private static readonly HashSet<string> GmailReserved = new(StringComparer.OrdinalIgnoreCase) { "[Gmail]" };

    private static readonly HashSet<string> NoneReserved = new(StringComparer.OrdinalIgnoreCase);

    public static readonly ImapPreset Generic = new("generic", null, GenericNames, NoneReserved, null);

    /// <summary>Exchange Online: 35 MB is its default maximum message size.</summary>
    public static readonly ImapPreset Office365 = new("office365", "outlook.office365.com", ExchangeNames, ExchangeReserved, 36_700_160);

    public static readonly ImapPreset Exchange = new("exchange", null, ExchangeNames, ExchangeReserved, null);

    /// <summary>
    /// Gmail: labels are folders, and All Mail holds every message (the archived ones only there). Its source is read through
    /// <see cref="MigrationEngine.Core.Execution.Gmail.GmailSource"/>, which needs All Mail, Starred and Important listed.
    /// </summary>
    public static readonly ImapPreset Gmail = new("gmail", "imap.gmail.com", GmailNames, GmailReserved, null);

    public static ImapPreset For(ImapPresetName? name) => name switch
    {
        ImapPresetName.Office365 => Office365,
        ImapPresetName.Exchange => Exchange,
        ImapPresetName.Gmail => Gmail,
        _ => Generic,
    };

    /// <summary>The special use a folder has by its name alone, for servers without SPECIAL-USE.</summary>
    public SpecialUse SpecialUseByName(string path)
    {
        foreach (var (use, name) in SpecialFolderNames)
        {
            if (string.Equals(name, path, StringComparison.OrdinalIgnoreCase))
            {
                return use;
            }
        }

        // The generic preset also knows other servers' names (iCloud's "Sent Messages", Yahoo's "Bulk Mail"): a folder so named is
        // copied into the target's own special folder, as that server's users expect. The other presets keep to their own
        // names, so a user's folder "Sent Messages" on an Exchange source stays an ordinary folder.
        return ReferenceEquals(this, Generic) && !path.Contains('/', StringComparison.Ordinal) ? WellKnownFolderNames.Of(path) : SpecialUse.None;
    }
}
