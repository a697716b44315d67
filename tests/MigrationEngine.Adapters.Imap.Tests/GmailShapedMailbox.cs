using Seed = MigrationEngine.Adapters.Imap.Tests.RawImapClient.Seed;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>One message of a Gmail-shaped test mailbox: its bytes and its labels (INBOX, Sent, Drafts, Starred, Important,
/// Spam, Trash or a user label).</summary>
public sealed record GmailSeed(string Name, byte[] Bytes, DateTimeOffset Date, params string[] Labels)
{
    public string Sha => Corpus.Sha(Bytes);
}

/// <summary>
/// Seeds a Dovecot mailbox the way Gmail's IMAP view shows one (the fixture gives the [Gmail] folders Gmail's special-use
/// attributes: \All, \Flagged, \Important, \Sent, \Drafts, \Junk, \Trash): INBOX, [Gmail]/All Mail holding every message but Spam and
/// Trash, [Gmail]/Sent Mail, Drafts, Spam, Trash, Starred and Important, and a folder per user label. A message is in All Mail
/// and in the folder of each of its labels with the same bytes and internal date; a starred one is \Flagged everywhere.
/// </summary>
public static class GmailShapedMailbox
{
    public const string AllMail = "[Gmail]/All Mail";

    public static readonly string[] UserLabels = ["Work", "Work/Projects", "Personal"];

    private static readonly DateTimeOffset Start = new(2024, 2, 3, 8, 0, 0, TimeSpan.Zero);

    public static string FolderOf(string label) => label switch
    {
        "INBOX" => "INBOX",
        "Sent" => "[Gmail]/Sent Mail",
        "Drafts" => "[Gmail]/Drafts",
        "Starred" => "[Gmail]/Starred",
        "Important" => "[Gmail]/Important",
        "Spam" => "[Gmail]/Spam",
        "Trash" => "[Gmail]/Trash",
        _ => label,
    };

    /// <summary>A message with a subject of its own and a fixed date (minutes apart), unless one is given.</summary>
    public static GmailSeed Message(int number, string name, string? messageId = null, string? subject = null, DateTimeOffset? date = null, params string[] labels) =>
        new(name, Corpus.Message(subject ?? name, messageId ?? name + "@gmail.test"), date ?? Start.AddMinutes(number), labels);

    /// <summary>
    /// The standard mailbox: inbox mail, labelled and archived mail (some starred or important), sent, a draft, spam, trash;
    /// two distinct messages sharing a Message-ID (different bytes), and two sharing Message-ID, size and date.
    /// </summary>
    public static IReadOnlyList<GmailSeed> Standard()
    {
        var twinDate = Start.AddHours(5);
        return
        [
            Message(1, "in1", labels: ["INBOX"]),
            Message(2, "in2", labels: ["INBOX", "Starred"]),
            Message(3, "inwork1", labels: ["INBOX", "Work"]),
            Message(4, "inwork2", labels: ["INBOX", "Work", "Important"]),
            Message(5, "work1", labels: ["Work"]),
            Message(6, "proj", labels: ["Work/Projects", "Personal"]),
            Message(7, "arch1", labels: []),
            Message(8, "arch2", labels: ["Starred"]),
            Message(9, "arch3", labels: ["Important"]),
            Message(10, "sent1", labels: ["Sent"]),
            Message(11, "sent2", labels: ["Sent", "Work"]),
            Message(12, "draft1", labels: ["Drafts"]),
            Message(13, "spam1", labels: ["Spam"]),
            Message(14, "trash1", labels: ["Trash"]),
            Message(15, "dupA", "dup@gmail.test", "dup version one", labels: ["INBOX"]),
            Message(16, "dupB", "dup@gmail.test", "dup version two, longer", labels: ["Work"]),
            Message(17, "twinA", "twin@gmail.test", "twin 1", twinDate, ["INBOX"]),
            Message(18, "twinB", "twin@gmail.test", "twin 2", twinDate, []),
        ];
    }

    public static void Create(RawImapClient raw)
    {
        foreach (var folder in new[] { AllMail, "[Gmail]/Sent Mail", "[Gmail]/Drafts", "[Gmail]/Starred", "[Gmail]/Important", "[Gmail]/Spam", "[Gmail]/Trash" }.Concat(UserLabels))
        {
            raw.Create(folder);
        }
    }

    /// <summary>Appends each message to All Mail (unless Spam or Trash) and to each label's folder, as Gmail shows it.</summary>
    public static void Add(RawImapClient raw, IEnumerable<GmailSeed> messages)
    {
        foreach (var message in messages)
        {
            var flags = message.Labels.Contains("Starred") ? "\\Flagged" : message.Labels.Contains("Drafts") ? "\\Draft" : string.Empty;
            var seed = new Seed(message.Bytes, flags, message.Date);
            var folders = message.Labels.Select(FolderOf).ToList();
            if (!message.Labels.Any(l => l is "Spam" or "Trash"))
            {
                folders.Insert(0, AllMail);
            }

            foreach (var folder in folders)
            {
                raw.Append(folder, [seed]);
            }
        }
    }
}
