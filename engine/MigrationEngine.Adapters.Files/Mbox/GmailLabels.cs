using System.Text;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Mbox;

/// <summary>Reads Google Takeout's <c>X-Gmail-Labels</c> header: which folders a message goes to, and its flags.</summary>
internal static class GmailLabels
{
    public static readonly MailFolder ArchiveFolder = new("Archive", SpecialUse.Archive);

    private static readonly Dictionary<string, MailFolder> SystemFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Inbox"] = new MailFolder("INBOX", SpecialUse.Inbox),
        ["Sent"] = new MailFolder("Sent", SpecialUse.Sent),
        ["Drafts"] = new MailFolder("Drafts", SpecialUse.Drafts),
        ["Spam"] = new MailFolder("Junk", SpecialUse.Junk),
        ["Trash"] = new MailFolder("Trash", SpecialUse.Trash),
    };

    private static readonly HashSet<string> NotFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Important", "Starred", "Opened", "Unread", "Archived",
    };

    /// <summary>Splits the comma-separated list; a label may be quoted ("a, b") with backslash escapes.</summary>
    public static IReadOnlyList<string> Split(string? header)
    {
        var labels = new List<string>();
        if (string.IsNullOrWhiteSpace(header))
        {
            return labels;
        }

        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < header.Length; i++)
        {
            var ch = header[i];
            if (quoted && ch == '\\' && i + 1 < header.Length)
            {
                current.Append(header[++i]);
            }
            else if (ch == '"')
            {
                quoted = !quoted;
            }
            else if (ch == ',' && !quoted)
            {
                Add();
            }
            else if (ch is '\r' or '\n')
            {
                // Folding: the line break and the indentation after it are one space.
                current.Append(' ');
            }
            else
            {
                current.Append(ch);
            }
        }

        Add();
        return labels;

        void Add()
        {
            var label = string.Join(' ', current.ToString().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
            if (label.Length > 0)
            {
                labels.Add(label);
            }

            current.Clear();
        }
    }

    /// <summary>The folders for a message: every label folder ("each") or the first ("once"); Archive when none.</summary>
    public static IReadOnlyList<MailFolder> Folders(IReadOnlyList<string> labels, bool copyToEachLabel)
    {
        var folders = new List<MailFolder>();
        foreach (var label in labels)
        {
            if (NotFolders.Contains(label) || label.StartsWith("Category ", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var folder = SystemFolders.TryGetValue(label, out var system) ? system : new MailFolder(label.Trim('/'));
            if (folder.Path.Length == 0 || folders.Exists(existing => existing.Path == folder.Path))
            {
                continue;
            }

            folders.Add(folder);
            if (!copyToEachLabel)
            {
                break;
            }
        }

        if (folders.Count == 0)
        {
            folders.Add(ArchiveFolder);
        }

        return folders;
    }

    public static MessageFlags Flags(IReadOnlyList<string> labels)
    {
        bool Has(string name) => labels.Contains(name, StringComparer.OrdinalIgnoreCase);

        var flags = MessageFlags.None;
        if (Has("Opened") && !Has("Unread"))
        {
            flags |= MessageFlags.Seen;
        }

        if (Has("Starred"))
        {
            flags |= MessageFlags.Flagged;
        }

        if (Has("Drafts"))
        {
            flags |= MessageFlags.Draft;
        }

        return flags;
    }
}
