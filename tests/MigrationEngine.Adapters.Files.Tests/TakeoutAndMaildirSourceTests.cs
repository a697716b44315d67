using System.Text;
using MigrationEngine.Adapters.Files.Eml;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Adapters.Files.Mbox;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Execution.Gmail;
using MigrationEngine.Core.Model;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

[Trait("Category", "Unit")]
public sealed class TakeoutAndMaildirSourceTests
{
    private static string TakeoutFile => Path.Combine(RepoPaths.SampleData, "takeout", "erin@example.com.mbox");

    [Fact]
    public async Task Takeout_labels_each_copy_a_message_into_every_label_folder()
    {
        var source = new TakeoutSource(TakeoutFile, Placement(LabelCopyMode.Each));
        var folders = await source.ListFoldersAsync(CancellationToken.None);
        Assert.Equal(["INBOX", "Archive", "Drafts", "Junk", "Label, with comma", "Sent", "Trash", "Work/Projects"], folders.Select(f => f.Path));
        Assert.Equal(SpecialUse.Archive, folders.Single(f => f.Path == "Archive").SpecialUse);
        Assert.Equal(SpecialUse.Junk, folders.Single(f => f.Path == "Junk").SpecialUse);

        var inbox = await TestSupport.ListAsync(source, folders[0]);
        var work = await TestSupport.ListAsync(source, folders.Single(f => f.Path == "Work/Projects"));
        // Label set 3 ("Work/Projects",Inbox,Starred,Opened) puts the same message in both folders.
        Assert.All(work, message => Assert.Contains(inbox, other => other.SourceId == message.SourceId));
        Assert.All(work, message => Assert.Equal(MailFlags.Seen | MailFlags.Flagged, message.Flags));
        Assert.Equal(9, inbox.Count);
        Assert.Equal(30 + 3, folders.Sum(f => f.MessageCount));

        var junk = await TestSupport.ListAsync(source, folders.Single(f => f.Path == "Junk"));
        Assert.All(junk, message => Assert.False(message.Flags.HasFlag(MailFlags.Seen)));
        // "Archived,Opened" and "Important,Unread" have no folder label: All Mail is Archive.
        Assert.Equal(6, folders.Single(f => f.Path == "Archive").MessageCount);
    }

    [Fact]
    public async Task Takeout_labels_once_copy_a_message_into_the_folder_first_by_priority()
    {
        var source = new TakeoutSource(TakeoutFile, Placement(LabelCopyMode.Once));
        var folders = await source.ListFoldersAsync(CancellationToken.None);
        Assert.Equal(30, folders.Sum(f => f.MessageCount));
        var work = await TestSupport.ListAsync(source, folders.Single(f => f.Path == "Work/Projects"));
        var inbox = await TestSupport.ListAsync(source, folders.Single(f => f.Path == "INBOX"));
        // Inbox comes before user labels (the same rules as Gmail over IMAP): Work/Projects names its three messages as placed there.
        Assert.Equal(3, work.Count);
        Assert.All(work, message => Assert.Equal("INBOX", message.PlacedIn));
        Assert.All(work, message => Assert.Contains(inbox, other => other.SourceId == message.SourceId && other.PlacedIn is null));

        var workFirst = new TakeoutSource(TakeoutFile, Placement(LabelCopyMode.Once, new GmailSettings { LabelPriority = ["Work/Projects"] }));
        var byPriority = await workFirst.ListFoldersAsync(CancellationToken.None);
        Assert.Equal(3, byPriority.Single(f => f.Path == "Work/Projects").MessageCount);

        var fetched = await TestSupport.FetchAllAsync(source, folders[0], inbox.Take(2).ToList());
        Assert.StartsWith("X-GM-THRID:", Encoding.UTF8.GetString(fetched[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void Gmail_label_lists_are_split_with_quotes_and_folding()
    {
        Assert.Equal(["Inbox", "a, b", "Work/Projects", "Category Updates"], GmailLabels.Split("Inbox,\"a, b\",\r\n Work/Projects,Category Updates"));
        var summary = new SourceMessage { SourceId = "0", DedupKey = "id:x" };
        var placed = Assert.Single(GmailLabels.Place(GmailLabels.Split("Important,Starred,Category Social,Opened"), summary, Placement(LabelCopyMode.Each)));
        Assert.Equal(("Archive", MailFlags.Flagged), (placed.Folder.Path, placed.Entry.Flags));
    }

    private static GmailPlacement Placement(LabelCopyMode mode, GmailSettings? settings = null) => new(mode, settings ?? new GmailSettings(), _ => true);

    [Fact]
    public async Task Maildir_source_reads_folders_flags_keywords_and_dates()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("dave@example.com");
        CopyDirectory(Path.Combine(RepoPaths.SampleData, "maildir", "dave@example.com"), root);
        var inboxFile = Directory.GetFiles(Path.Combine(root, "cur")).Single(f => f.EndsWith(":2,Sac", StringComparison.Ordinal));
        var date = new DateTime(2023, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(inboxFile, date);
        // A nested plain Maildir is read too.
        Directory.CreateDirectory(Path.Combine(root, "Plain", "Sub", "cur"));
        await File.WriteAllTextAsync(Path.Combine(root, "Plain", "Sub", "cur", "1.host:2,S"), "Subject: plain\nMessage-ID: <plain@x>\n\nbody\n");

        var source = new MaildirSource(root);
        var folders = await source.ListFoldersAsync(CancellationToken.None);
        Assert.Equal(["INBOX", "Plain/Sub", "Projets", "Projets/Été 2024", "Sent"], folders.Select(f => f.Path));
        Assert.Equal(SpecialUse.Sent, folders.Single(f => f.Path == "Sent").SpecialUse);

        var inbox = await TestSupport.ListAsync(source, folders[0]);
        var tagged = inbox.Single(m => m.SourceId == Path.GetFileName(inboxFile)[..^":2,Sac".Length]);
        Assert.Equal(MailFlags.Seen, tagged.Flags);
        Assert.Equal(["$Forwarded", "$label1"], tagged.Keywords);
        Assert.Equal(new DateTimeOffset(date), tagged.InternalDate);
        Assert.Contains(inbox, m => m.Flags == (MailFlags.Draft | MailFlags.Seen));
        Assert.Contains(inbox, m => m.Flags == MailFlags.None && m.Keywords.Count == 0);

        // A flag change renames the file between listing and fetch: the unique part still finds it.
        File.Move(inboxFile, inboxFile.Replace(":2,Sac", ":2,FSac", StringComparison.Ordinal));
        var fetched = await TestSupport.FetchAllAsync(source, folders[0], [tagged]);
        Assert.Equal(tagged.Size, fetched[0].Length);

        var plain = await TestSupport.ListAsync(source, folders.Single(f => f.Path == "Plain/Sub"));
        Assert.Equal("id:plain@x", Assert.Single(plain).DedupKey);
    }

    [Fact]
    public async Task Eml_tree_directories_are_folders_and_root_files_are_inbox()
    {
        var root = Path.Combine(RepoPaths.SampleData, "eml", "frank@example.com");
        var source = new EmlSource(root);
        var folders = await source.ListFoldersAsync(CancellationToken.None);
        // "Clients" holds only a folder, no mail: it is not a mail folder of its own.
        Assert.Equal(["INBOX", "Archive", "Clients/Dupont SA"], folders.Select(f => f.Path));
        Assert.Equal(SpecialUse.Archive, folders[1].SpecialUse);

        var inbox = await TestSupport.ListAsync(source, folders[0]);
        Assert.Equal(["1.eml", "2.eml", "5.eml", "6.eml", "9.eml", "10.eml"], inbox.Select(m => m.SourceId));
        var clients = await TestSupport.ListAsync(source, folders[2]);
        Assert.Equal("Clients/Dupont SA/3.eml", clients[0].SourceId);

        var fetched = await TestSupport.FetchAllAsync(source, folders[2], clients);
        Assert.Equal(TestSupport.Sha256(await File.ReadAllBytesAsync(Path.Combine(root, "Clients", "Dupont SA", "3.eml"))), TestSupport.Sha256(fetched[0]));
        Assert.All(clients, m => Assert.NotNull(m.InternalDate));
    }

    internal static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
