using System.Text;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Execution.Gmail;

/// <summary>
/// The placement rules (one home for them; the table is in docs/plan-format.md, "Gmail"):
/// <list type="bullet">
/// <item>Labels that place mail are INBOX, Sent, Drafts and user labels whose folders the plan's folder rules include.</item>
/// <item><c>each</c>: a copy in every such folder; <c>once</c>: one copy, in the first by priority (the plan's
/// <c>gmail.labelPriority</c>, then INBOX, Sent, Drafts, then user labels by name); <c>categories</c>: one copy in INBOX,
/// Sent or Drafts (that order), user labels as keywords.</item>
/// <item>A message with no such label is archived: copied from All Mail to the archive folder.</item>
/// <item>Starred adds \Flagged; Important adds <c>$Important</c> when the plan says <c>gmail.important: keyword</c>.</item>
/// </list>
/// </summary>
public sealed class GmailPlacement(LabelCopyMode mode, GmailSettings settings, Func<string, bool> isIncluded)
{
    public const string ImportantKeyword = "$Important";

    /// <summary>Gmail's Important as an Exchange category, when the plan keeps it.</summary>
    public const string ImportantCategory = "Important";

    public LabelCopyMode Mode => mode;

    /// <summary>True when the folder gets copies of its own (user label folders do not with <c>categories</c>).</summary>
    public bool Places(GmailFolderRole role) => role switch
    {
        GmailFolderRole.Inbox or GmailFolderRole.Sent or GmailFolderRole.Drafts => true,
        GmailFolderRole.Label => mode != LabelCopyMode.Categories,
        _ => false,
    };

    public GmailDecision Decide(GmailMessage message)
    {
        var candidates = message.Occurrences.Where(o => Places(o.Role) && isIncluded(o.Label.Path)).ToList();
        IReadOnlyList<GmailOccurrence> copies = mode switch
        {
            _ when candidates.Count == 0 => message.Home is { } home && isIncluded(home.Label.Path) ? [home] : [],
            LabelCopyMode.Each => candidates,
            _ => [candidates.OrderBy(Rank).ThenBy(o => o.Label.Path, StringComparer.OrdinalIgnoreCase).First()],
        };

        var flags = message.Has(GmailFolderRole.Starred) ? MailFlags.Flagged : MailFlags.None;
        var categories = new List<string>();
        if (mode == LabelCopyMode.Categories)
        {
            categories.AddRange(message.Occurrences.Where(o => o.Role == GmailFolderRole.Label).Select(o => o.Label.Path));
        }

        var keywords = categories.Select(Keyword).ToList();
        if (settings.Important == ImportantPlacement.Keyword && message.Has(GmailFolderRole.Important))
        {
            keywords.Add(ImportantKeyword);
            categories.Add(ImportantCategory);
        }

        return new GmailDecision(copies, flags, keywords.Distinct(StringComparer.Ordinal).ToList(), categories.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>The plan's priority list first (in its order), then INBOX, Sent, Drafts, then user labels.</summary>
    private int Rank(GmailOccurrence occurrence)
    {
        for (var i = 0; i < settings.LabelPriority.Count; i++)
        {
            if (string.Equals(settings.LabelPriority[i], occurrence.Label.Path, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return settings.LabelPriority.Count + occurrence.Role switch
        {
            GmailFolderRole.Inbox => 0,
            GmailFolderRole.Sent => 1,
            GmailFolderRole.Drafts => 2,
            _ => 3,
        };
    }

    /// <summary>
    /// A label as an IMAP keyword (an atom: RFC 3501 forbids space, parentheses, braces, quote, backslash, ']', '%', '*' and
    /// controls, and without UTF8=ACCEPT anything outside ASCII); each such character becomes '_'. Graph targets show keywords as categories.
    /// </summary>
    public static string Keyword(string label)
    {
        var text = new StringBuilder(label.Length);
        foreach (var ch in label)
        {
            text.Append(ch is <= ' ' or >= (char)0x7F or '(' or ')' or '{' or '}' or '"' or '\\' or ']' or '%' or '*' ? '_' : ch);
        }

        return text.Length == 0 ? "_" : text.ToString();
    }
}
