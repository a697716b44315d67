using System.Text;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Maildir;

/// <summary>
/// Maildir++ names. A folder <c>Sub/Folder</c> is the directory <c>.Sub.Folder</c>; each level is modified UTF-7
/// (as Dovecot writes it) with '.' also encoded ("&amp;AC4-"), so that a dot inside a name cannot be read back as
/// a level separator and decoding gives the original name. INBOX is the root itself.
/// </summary>
public static class MaildirNames
{
    private const string ForcedCharacters = "./";

    /// <summary>Directory name (relative to the Maildir++ root) of a folder; empty for INBOX.</summary>
    public static string ToDirectoryName(string folderPath, SpecialUse specialUse = SpecialUse.None)
    {
        var path = specialUse switch
        {
            SpecialUse.Inbox => FolderNames.Inbox,
            SpecialUse.Sent => "Sent",
            SpecialUse.Drafts => "Drafts",
            SpecialUse.Trash => "Trash",
            SpecialUse.Junk => "Junk",
            SpecialUse.Archive => "Archive",
            _ => folderPath,
        };

        var levels = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (levels.Length == 0 || (levels.Length == 1 && string.Equals(levels[0], FolderNames.Inbox, StringComparison.OrdinalIgnoreCase)))
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var level in levels)
        {
            builder.Append('.').Append(ModifiedUtf7.Encode(level, ForcedCharacters));
        }

        return builder.ToString();
    }

    /// <summary>The folder path of a Maildir++ directory name (<c>.Sub.Folder</c>); INBOX for the root.</summary>
    public static string FromDirectoryName(string directoryName)
    {
        var trimmed = directoryName.TrimStart('.');
        if (trimmed.Length == 0)
        {
            return FolderNames.Inbox;
        }

        var levels = trimmed.Split('.').Select(ModifiedUtf7.Decode).Select(level => level.Replace('/', '\u2215'));
        return string.Join('/', levels);
    }

    /// <summary>The <c>:2,</c> info suffix letters: uppercase flags sorted, then keyword letters sorted.</summary>
    public static string FlagLetters(MailFlags flags, IEnumerable<char> keywordLetters)
    {
        var builder = new StringBuilder(8);
        if (flags.HasFlag(MailFlags.Draft))
        {
            builder.Append('D');
        }

        if (flags.HasFlag(MailFlags.Flagged))
        {
            builder.Append('F');
        }

        if (flags.HasFlag(MailFlags.Answered))
        {
            builder.Append('R');
        }

        if (flags.HasFlag(MailFlags.Seen))
        {
            builder.Append('S');
        }

        if (flags.HasFlag(MailFlags.Deleted))
        {
            builder.Append('T');
        }

        foreach (var letter in keywordLetters.Distinct().Order())
        {
            builder.Append(letter);
        }

        return builder.ToString();
    }

    /// <summary>Splits a Maildir file name into its unique part, flags and keyword letters.</summary>
    public static (string Unique, MailFlags Flags, string KeywordLetters) ParseFileName(string fileName)
    {
        var info = fileName.IndexOf(":2,", StringComparison.Ordinal);
        if (info < 0)
        {
            return (fileName, MailFlags.None, string.Empty);
        }

        var flags = MailFlags.None;
        var keywords = new StringBuilder();
        foreach (var letter in fileName.AsSpan(info + 3))
        {
            switch (letter)
            {
                case 'D':
                    flags |= MailFlags.Draft;
                    break;
                case 'F':
                    flags |= MailFlags.Flagged;
                    break;
                case 'R':
                    flags |= MailFlags.Answered;
                    break;
                case 'S':
                    flags |= MailFlags.Seen;
                    break;
                case 'T':
                    flags |= MailFlags.Deleted;
                    break;
                case >= 'a' and <= 'z':
                    keywords.Append(letter);
                    break;
            }
        }

        return (fileName[..info], flags, keywords.ToString());
    }

}
