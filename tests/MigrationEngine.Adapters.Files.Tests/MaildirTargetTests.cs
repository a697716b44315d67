using System.Text;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Adapters.Files.Mbox;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

[Trait("Category", "Unit")]
public sealed class MaildirTargetTests
{
    [Theory]
    [InlineData("Été 2024", "&AMk-t&AOk- 2024")]
    [InlineData("Tom & Jerry", "Tom &- Jerry")]
    [InlineData("日本語", "&ZeVnLIqe-")]
    [InlineData("plain", "plain")]
    public void Modified_utf7_matches_imap_and_round_trips(string name, string encoded)
    {
        Assert.Equal(encoded, ModifiedUtf7.Encode(name));
        Assert.Equal(name, ModifiedUtf7.Decode(encoded));
    }

    [Theory]
    [InlineData("Projets/Été 2024", SpecialUse.None, ".Projets.&AMk-t&AOk- 2024")]
    [InlineData("v1.2/notes", SpecialUse.None, ".v1&AC4-2.notes")]
    [InlineData("INBOX", SpecialUse.None, "")]
    [InlineData("Inbox", SpecialUse.Inbox, "")]
    [InlineData("Sent Items", SpecialUse.Sent, ".Sent")]
    [InlineData("Deleted Items", SpecialUse.Trash, ".Trash")]
    [InlineData("[Gmail]/Spam", SpecialUse.Junk, ".Junk")]
    [InlineData("All Mail", SpecialUse.Archive, ".Archive")]
    [InlineData("Brouillons", SpecialUse.Drafts, ".Drafts")]
    public void Folder_paths_map_to_reversible_maildir_names(string path, SpecialUse use, string directory)
    {
        Assert.Equal(directory, MaildirNames.ToDirectoryName(path, use));
        if (use == SpecialUse.None && directory.Length > 0)
        {
            Assert.Equal(path, MaildirNames.FromDirectoryName(directory));
        }
    }

    [Fact]
    public async Task Append_writes_identical_bytes_with_flags_keywords_and_date_then_keys_find_them()
    {
        using var temp = new TempDirectory();
        var target = MaildirTarget.Open(temp.Combine("bob@example.com"));
        var folder = await target.EnsureFolderAsync("Projets/Été 2024", SpecialUse.None, CancellationToken.None);
        Assert.Equal(".Projets.&AMk-t&AOk- 2024", folder.NativeId);
        var directory = temp.Combine("bob@example.com", folder.NativeId);
        Assert.True(File.Exists(Path.Combine(directory, "maildirfolder")));
        Assert.True(Directory.Exists(Path.Combine(directory, "tmp")));

        var date = new DateTimeOffset(2021, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        var first = Encoding.UTF8.GetBytes("Subject: Été\r\nMessage-ID: <m1@x>\r\n\r\nbody\r\n");
        var second = Encoding.UTF8.GetBytes("Subject: two\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nFrom: a@b\n\nno id\n");
        var results = await target.AppendAsync(folder,
        [
            Content(first, MailFlags.Seen | MailFlags.Flagged | MailFlags.Answered, date, ["$Forwarded", "Work"]),
            Content(second, MailFlags.Draft | MailFlags.Deleted, null, ["Work"]),
        ], CancellationToken.None);

        Assert.All(results, r => Assert.False(r.Rejected));
        var files = Directory.GetFiles(Path.Combine(directory, "cur")).OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.Equal(2, files.Count);
        var firstFile = files.Single(f => Path.GetFileName(f).StartsWith(results[0].TargetId!, StringComparison.Ordinal));
        Assert.EndsWith($",S={first.Length}:2,FRSab", firstFile, StringComparison.Ordinal);
        Assert.EndsWith(":2,DTb", files.Single(f => f != firstFile), StringComparison.Ordinal);
        Assert.Equal(first, await File.ReadAllBytesAsync(firstFile));
        Assert.Equal(date.UtcDateTime, File.GetLastWriteTimeUtc(firstFile));
        Assert.Equal(["0 $Forwarded", "1 Work"], await File.ReadAllLinesAsync(Path.Combine(directory, "dovecot-keywords")));
        Assert.Empty(Directory.GetFiles(Path.Combine(directory, "tmp")));

        // A crash leftover in tmp/ is not a message.
        await File.WriteAllTextAsync(Path.Combine(directory, "tmp", "123.M1P1Q1.host"), "Message-ID: <half@x>\n\npartial");
        var keys = await target.ListMessageKeysAsync(folder, CancellationToken.None);
        Assert.Equal(
            new[] { "id:m1@x", DedupKeys.Compute(null, "Mon, 1 Jan 2024 00:00:00 +0000", "a@b", "two") }.Order(),
            keys.Order());
        Assert.Equal(2, (await target.CountMessagesAsync([folder], CancellationToken.None))[folder.Path]);

        // Reading the target back as a source gives the same flags and keywords.
        var source = new MaildirSource(temp.Combine("bob@example.com"));
        var sourceFolder = (await source.ListFoldersAsync(CancellationToken.None)).Single(f => f.Path == "Projets/Été 2024");
        var listed = await TestSupport.ListAsync(source, sourceFolder);
        var back = listed.Single(m => m.DedupKey == "id:m1@x");
        Assert.Equal(MailFlags.Seen | MailFlags.Flagged | MailFlags.Answered, back.Flags);
        Assert.Equal(["$Forwarded", "Work"], back.Keywords);
        Assert.Equal(results[0].TargetId, back.SourceId);
    }

    [Fact]
    public async Task Special_use_folders_go_to_their_maildir_names_and_inbox_is_the_root()
    {
        using var temp = new TempDirectory();
        var target = MaildirTarget.Open(temp.Combine("c"));
        var inbox = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, CancellationToken.None);
        var sent = await target.EnsureFolderAsync("Sent Items", SpecialUse.Sent, CancellationToken.None);
        var again = await target.EnsureFolderAsync("Sent Items", SpecialUse.Sent, CancellationToken.None);
        Assert.Equal(("INBOX", string.Empty), (inbox.Path, inbox.NativeId));
        Assert.Equal(("Sent", ".Sent", SpecialUse.Sent), (sent.Path, sent.NativeId, sent.SpecialUse));
        Assert.Equal(sent, again);
        Assert.False(File.Exists(temp.Combine("c", "maildirfolder")));
        Assert.True(Directory.Exists(temp.Combine("c", "cur")));
        Assert.Null(target.MaxMessageSize);
    }

    [Fact]
    public async Task Open_makes_the_root_a_maildir_and_each_run_makes_again_what_was_removed_since_the_last()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("d");
        var first = MaildirTarget.Open(root);
        Assert.All(new[] { "cur", "new", "tmp" }, sub => Assert.True(Directory.Exists(Path.Combine(root, sub))));
        await first.EnsureFolderAsync("Work", SpecialUse.None, CancellationToken.None);

        // Between runs: part of the root's Maildir is gone (or a crash stopped its making halfway), and a subfolder with it.
        Directory.Delete(Path.Combine(root, "new"));
        Directory.Delete(Path.Combine(root, "tmp"));
        Directory.Delete(Path.Combine(root, ".Work"), recursive: true);

        // The next run opens its own target: INBOX (the root) is made by the open, the subfolder by its ensure.
        var second = MaildirTarget.Open(root);
        foreach (var folder in new[]
                 {
                     await second.EnsureFolderAsync("INBOX", SpecialUse.Inbox, CancellationToken.None),
                     await second.EnsureFolderAsync("Work", SpecialUse.None, CancellationToken.None),
                 })
        {
            var bytes = Encoding.ASCII.GetBytes($"Message-ID: <{folder.Path}@x>\r\n\r\nbody\r\n");
            Assert.False(Assert.Single(await second.AppendAsync(folder, [Content(bytes, MailFlags.Seen, null, [])], CancellationToken.None)).Rejected);
            Assert.Equal(["id:" + folder.Path + "@x"], await second.ListMessageKeysAsync(folder, CancellationToken.None));
            Assert.True(Directory.Exists(Path.Combine(root, folder.NativeId, "new")));
        }

        Assert.True(File.Exists(Path.Combine(root, ".Work", "maildirfolder")));
    }

    [Fact]
    public async Task Mbox_to_maildir_round_trip_keeps_every_byte_of_the_sample()
    {
        using var temp = new TempDirectory();
        var source = new MboxFolderSource(Path.Combine(RepoPaths.SampleData, "source", "alice@example.com"));
        var target = MaildirTarget.Open(temp.Combine("alice@example.org"));
        var total = 0;
        foreach (var folder in await source.ListFoldersAsync(CancellationToken.None))
        {
            var summaries = await TestSupport.ListAsync(source, folder);
            var expected = await TestSupport.FetchAllAsync(source, folder, summaries);
            var targetFolder = await target.EnsureFolderAsync(folder.Path, folder.SpecialUse, CancellationToken.None);
            var contents = new List<MessageContent>();
            await foreach (var content in source.FetchAsync(folder, summaries, CancellationToken.None))
            {
                contents.Add(content);
            }

            var results = await target.AppendAsync(targetFolder, contents, CancellationToken.None);
            foreach (var content in contents)
            {
                await content.DisposeAsync();
            }

            var directory = Path.Combine(target.Root, targetFolder.NativeId, "cur");
            for (var i = 0; i < results.Count; i++)
            {
                var file = Directory.GetFiles(directory, results[i].TargetId + ":2,*").Single();
                Assert.Equal(TestSupport.Sha256(expected[i]), TestSupport.Sha256(await File.ReadAllBytesAsync(file)));
            }

            Assert.Equal(summaries.Select(s => s.DedupKey).Order(), (await target.ListMessageKeysAsync(targetFolder, CancellationToken.None)).Order());
            total += results.Count;
        }

        Assert.True(total > 100);
    }

    private static MessageContent Content(byte[] bytes, MailFlags flags, DateTimeOffset? date, IReadOnlyList<string> keywords) =>
        new(new SourceMessage { SourceId = "x", DedupKey = "k", Flags = flags, InternalDate = date, Keywords = keywords, Size = bytes.Length },
            new MemoryStream(bytes), bytes.Length);
}
