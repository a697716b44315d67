using MailKit;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Imap;

/// <summary>Between IMAP full names (any delimiter) and the core's '/'-separated paths.</summary>
internal static class FolderPaths
{
    /// <summary>Stands for a '/' inside one level's name.</summary>
    public const char LevelSlash = '\u2215';

    /// <summary>Stands for the target's delimiter inside one level's name when that delimiter is not '/'.</summary>
    public const char LevelDot = '\u2024';

    public static string ToPath(IMailFolder folder)
    {
        if (IsInbox(folder))
        {
            return "INBOX";
        }

        var delimiter = folder.DirectorySeparator;
        var levels = delimiter == '\0' ? [folder.FullName] : folder.FullName.Split(delimiter);
        return string.Join('/', levels.Select(level => level.Replace('/', LevelSlash)));
    }

    /// <summary>Levels of a core path, each in the target's own spelling.</summary>
    public static IReadOnlyList<string> ToLevels(string path, char delimiter)
    {
        var levels = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return levels.Select(level =>
        {
            var name = level;
            if (delimiter != '/' && delimiter != '\0')
            {
                // A level's own '/' is an ordinary character where the delimiter is something else.
                name = name.Replace(delimiter, delimiter == '.' ? LevelDot : LevelSlash).Replace(LevelSlash, '/');
            }

            return name;
        }).ToList();
    }

    public static bool IsInbox(IMailFolder folder) =>
        (folder.Attributes & FolderAttributes.Inbox) != 0 || string.Equals(folder.FullName, "INBOX", StringComparison.OrdinalIgnoreCase);

    public static SpecialUse SpecialUseOf(IMailFolder folder, ImapPreset preset)
    {
        if (IsInbox(folder))
        {
            return SpecialUse.Inbox;
        }

        var attributes = folder.Attributes;
        if ((attributes & FolderAttributes.Sent) != 0) return SpecialUse.Sent;
        if ((attributes & FolderAttributes.Drafts) != 0) return SpecialUse.Drafts;
        if ((attributes & FolderAttributes.Trash) != 0) return SpecialUse.Trash;
        if ((attributes & FolderAttributes.Junk) != 0) return SpecialUse.Junk;
        if ((attributes & FolderAttributes.Archive) != 0) return SpecialUse.Archive;
        if ((attributes & FolderAttributes.All) != 0) return SpecialUse.All;
        if ((attributes & FolderAttributes.Flagged) != 0) return SpecialUse.Flagged;
        if ((attributes & FolderAttributes.Important) != 0) return SpecialUse.Important;
        return preset.SpecialUseByName(ToPath(folder));
    }

    public static SpecialFolder? ToMailKit(SpecialUse use) => use switch
    {
        SpecialUse.Sent => SpecialFolder.Sent,
        SpecialUse.Drafts => SpecialFolder.Drafts,
        SpecialUse.Trash => SpecialFolder.Trash,
        SpecialUse.Junk => SpecialFolder.Junk,
        SpecialUse.Archive => SpecialFolder.Archive,
        SpecialUse.All => SpecialFolder.All,
        SpecialUse.Flagged => SpecialFolder.Flagged,
        SpecialUse.Important => SpecialFolder.Important,
        _ => null,
    };
}
