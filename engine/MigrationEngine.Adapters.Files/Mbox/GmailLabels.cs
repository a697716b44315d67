using System.Text;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Execution.Gmail;

namespace MigrationEngine.Adapters.Files.Mbox;

/// <summary>Reads Google Takeout's <c>X-Gmail-Labels</c> header: which folders a message goes to, and its flags.</summary>
internal static class GmailLabels
{
    public static readonly SourceFolder ArchiveFolder = new("Archive", SpecialUse.Archive);

    private static readonly Dictionary<string, SourceFolder> SystemFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Inbox"] = new SourceFolder("INBOX", SpecialUse.Inbox),
        ["Sent"] = new SourceFolder("Sent", SpecialUse.Sent),
        ["Drafts"] = new SourceFolder("Drafts", SpecialUse.Drafts),
        ["Spam"] = new SourceFolder("Junk", SpecialUse.Junk),
        ["Trash"] = new SourceFolder("Trash", SpecialUse.Trash),
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

    /// <summary>
    /// Where a Takeout message is listed, by the same placement rules as Gmail over IMAP (<see cref="GmailPlacement"/>):
    /// each placing label's folder with the copy or, when the message's one copy is elsewhere, marked so; Archive for a
    /// message no placing label holds; Spam and Trash as they are (they are not in All Mail).
    /// </summary>
    public static IEnumerable<(SourceFolder Folder, SourceMessage Entry)> Place(IReadOnlyList<string> labels, SourceMessage summary, GmailPlacement placement)
    {
        foreach (var outside in new[] { "Spam", "Trash" })
        {
            if (labels.Contains(outside, StringComparer.OrdinalIgnoreCase))
            {
                yield return (SystemFolders[outside], summary);
                yield break;
            }
        }

        var message = new GmailMessage();
        message.Occurrences.Add(new GmailOccurrence(ArchiveFolder, GmailFolderRole.AllMail, ArchiveFolder, summary));
        foreach (var label in labels)
        {
            if (RoleOf(label) is not { } found || message.Occurrences.Exists(o => o.Label.Path == found.Folder.Path))
            {
                continue;
            }

            message.Occurrences.Add(new GmailOccurrence(found.Folder, found.Role, found.Folder, summary));
        }

        var decision = placement.Decide(message);
        foreach (var occurrence in message.Occurrences)
        {
            if (decision.Copies.Contains(occurrence))
            {
                yield return (occurrence.Label, decision.Apply(summary));
            }
            else if (occurrence.Role != GmailFolderRole.AllMail && placement.Places(occurrence.Role) && decision.PlacedIn is { } placedIn)
            {
                yield return (occurrence.Label, summary with { PlacedIn = placedIn });
            }
        }
    }

    /// <summary>The folder and role a label stands for; null for labels that are states (Opened, Unread) or categories.</summary>
    private static (SourceFolder Folder, GmailFolderRole Role)? RoleOf(string label)
    {
        if (label.Equals("Starred", StringComparison.OrdinalIgnoreCase))
        {
            return (new SourceFolder("Starred", SpecialUse.Flagged), GmailFolderRole.Starred);
        }

        if (label.Equals("Important", StringComparison.OrdinalIgnoreCase))
        {
            return (new SourceFolder("Important", SpecialUse.Important), GmailFolderRole.Important);
        }

        if (NotFolders.Contains(label) || label.StartsWith("Category ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (SystemFolders.TryGetValue(label, out var system))
        {
            return (system, GmailModel.RoleOf(system));
        }

        var path = label.Trim('/');
        return path.Length == 0 ? null : (new SourceFolder(path), GmailFolderRole.Label);
    }

    public static MailFlags Flags(IReadOnlyList<string> labels)
    {
        bool Has(string name) => labels.Contains(name, StringComparer.OrdinalIgnoreCase);

        var flags = MailFlags.None;
        if (Has("Opened") && !Has("Unread"))
        {
            flags |= MailFlags.Seen;
        }

        if (Has("Starred"))
        {
            flags |= MailFlags.Flagged;
        }

        if (Has("Drafts"))
        {
            flags |= MailFlags.Draft;
        }

        return flags;
    }
}
