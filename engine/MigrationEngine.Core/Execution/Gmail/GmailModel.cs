using System.Globalization;

namespace MigrationEngine.Core.Execution.Gmail;

/// <summary>
/// The single model of a Gmail mailbox, derived from its folders: every message once, with its labels. From the folder
/// listings (any Gmail-shaped server) a message is recognised across folders by its dedup key, RFC822.SIZE and INTERNALDATE
/// together (Gmail gives one message the same size and internal date in every label folder). A folder lists one message once,
/// so a fingerprint met twice in one folder means distinct messages that cannot be told apart: those are never merged, each
/// copy stays its own message (a duplicate in the target rather than a loss). From X-GM-LABELS each All Mail entry is a
/// message and its labels are read directly.
/// </summary>
public sealed class GmailModel
{
    private readonly Dictionary<string, List<(GmailOccurrence Occurrence, GmailMessage Message)>> _byLabel = new(StringComparer.Ordinal);

    private GmailModel(List<GmailMessage> messages)
    {
        Messages = messages;
        foreach (var message in messages)
        {
            foreach (var occurrence in message.Occurrences)
            {
                if (!_byLabel.TryGetValue(occurrence.Label.Path, out var list))
                {
                    list = [];
                    _byLabel[occurrence.Label.Path] = list;
                }

                list.Add((occurrence, message));
            }
        }

        foreach (var list in _byLabel.Values)
        {
            list.Sort((a, b) => NumericId(a.Occurrence.Summary.SourceId).CompareTo(NumericId(b.Occurrence.Summary.SourceId)));
        }
    }

    public IReadOnlyList<GmailMessage> Messages { get; }

    /// <summary>A folder's role by its special use (from SPECIAL-USE, or the gmail preset's names); other folders are labels.</summary>
    public static GmailFolderRole RoleOf(SourceFolder folder) => folder.SpecialUse switch
    {
        SpecialUse.Inbox => GmailFolderRole.Inbox,
        SpecialUse.Sent => GmailFolderRole.Sent,
        SpecialUse.Drafts => GmailFolderRole.Drafts,
        SpecialUse.All => GmailFolderRole.AllMail,
        SpecialUse.Flagged => GmailFolderRole.Starred,
        SpecialUse.Important => GmailFolderRole.Important,
        SpecialUse.Junk => GmailFolderRole.Spam,
        SpecialUse.Trash => GmailFolderRole.Trash,
        _ => GmailFolderRole.Label,
    };

    /// <summary>The occurrences shown by a folder (by path), in source id order.</summary>
    public IReadOnlyList<(GmailOccurrence Occurrence, GmailMessage Message)> InFolder(string path) =>
        _byLabel.TryGetValue(path, out var list) ? list : [];

    /// <summary>The message a folder shows under a source id, or null.</summary>
    public GmailMessage? MessageAt(string path, string sourceId)
    {
        if (_bySourceId is null)
        {
            var index = new Dictionary<(string, string), GmailMessage>();
            foreach (var (path2, list) in _byLabel)
            {
                foreach (var (occurrence, message) in list)
                {
                    index[(path2, occurrence.Summary.SourceId)] = message;
                }
            }

            _bySourceId = index;
        }

        return _bySourceId.GetValueOrDefault((path, sourceId));
    }

    private Dictionary<(string, string), GmailMessage>? _bySourceId;

    /// <summary>Builds the model from each folder's listing (Spam and Trash are not part of it: they are copied as they are).</summary>
    public static GmailModel FromFolders(IEnumerable<(SourceFolder Folder, GmailFolderRole Role, IReadOnlyList<SourceMessage> Messages)> listings)
    {
        var groups = new Dictionary<string, List<GmailOccurrence>>(StringComparer.Ordinal);
        foreach (var (folder, role, messages) in listings)
        {
            foreach (var summary in messages)
            {
                var key = Fingerprint(summary);
                if (!groups.TryGetValue(key, out var group))
                {
                    group = [];
                    groups[key] = group;
                }

                group.Add(new GmailOccurrence(folder, role, folder, summary));
            }
        }

        var result = new List<GmailMessage>();
        foreach (var group in groups.Values)
        {
            var ambiguous = group.GroupBy(o => o.Label.Path, StringComparer.Ordinal).Any(g => g.Count() > 1);
            if (!ambiguous)
            {
                var message = new GmailMessage();
                message.Occurrences.AddRange(group);
                result.Add(message);
                continue;
            }

            // Distinct messages that share a fingerprint: each placing occurrence and each All Mail entry is its own message.
            // Starred and Important entries only mark messages that All Mail lists anyway, unless there is no All Mail.
            var hasAllMail = group.Exists(o => o.Role == GmailFolderRole.AllMail);
            foreach (var occurrence in group)
            {
                if (hasAllMail && occurrence.Role is GmailFolderRole.Starred or GmailFolderRole.Important)
                {
                    continue;
                }

                var single = new GmailMessage();
                single.Occurrences.Add(occurrence);
                result.Add(single);
            }
        }

        return new GmailModel(result);
    }

    /// <summary>Builds the model from All Mail listed with each message's labels (X-GM-LABELS), one entry per message.</summary>
    /// <param name="labelFolder">The folder standing for a label as Gmail names it (<c>\Inbox</c>, <c>\Sent</c>, <c>Work</c>);
    /// null for a label that has no folder of its own (such as <c>\Important</c> on an account that hides it).</param>
    public static GmailModel FromLabels(SourceFolder allMail, IEnumerable<(SourceMessage Summary, IReadOnlyList<string> Labels)> entries,
        Func<string, (SourceFolder Folder, GmailFolderRole Role)?> labelFolder)
    {
        var result = new List<GmailMessage>();
        foreach (var (summary, labels) in entries)
        {
            var message = new GmailMessage();
            message.Occurrences.Add(new GmailOccurrence(allMail, GmailFolderRole.AllMail, allMail, summary));
            foreach (var label in labels)
            {
                if (labelFolder(label) is { } found && !message.Occurrences.Exists(o => o.Label.Path == found.Folder.Path))
                {
                    message.Occurrences.Add(new GmailOccurrence(found.Folder, found.Role, allMail, summary));
                }
            }

            result.Add(message);
        }

        return new GmailModel(result);
    }

    private static string Fingerprint(SourceMessage summary) => string.Create(CultureInfo.InvariantCulture,
        $"{summary.DedupKey}\n{summary.Size}\n{summary.InternalDate?.ToUnixTimeSeconds()}");

    private static long NumericId(string id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : long.MaxValue;
}
