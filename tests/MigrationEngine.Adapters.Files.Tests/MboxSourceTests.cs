using System.Text;
using MigrationEngine.Adapters.Files.Mbox;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

[Trait("Category", "Unit")]
public sealed class MboxSourceTests
{
    private static readonly string[] Originals =
    [
        "From: a@example.com\nSubject: one\nMessage-ID: <one@example.com>\n\nbody one\n",
        "From: b@example.com\nSubject: two\nMessage-ID: <two@example.com>\n\nFrom the start, a quoted line.\n>From an old quote\n>>From deeper\nend\n",
        "From: c@example.com\r\nSubject: crlf\r\nMessage-ID: <three@example.com>\r\n\r\nwindows body\r\n",
        "From: d@example.com\nSubject: no trailing newline\nMessage-ID: <four@example.com>\n\nlast line without newline",
    ];

    /// <summary>Writes messages as an mboxrd writer does: quoted From lines, a final newline, one blank separator line.</summary>
    internal static string WriteMbox(string path, IEnumerable<byte[]> messages)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var output = File.Create(path);
        foreach (var message in messages)
        {
            output.Write("From sender@example.com Wed Nov 27 08:58:36 2024\n"u8);
            var text = Encoding.Latin1.GetString(message);
            var lines = text.Split('\n').Select(line => MboxrdUnescapeIsQuotable(line) ? ">" + line : line);
            var quoted = string.Join('\n', lines);
            output.Write(Encoding.Latin1.GetBytes(quoted));
            output.Write(quoted.EndsWith('\n') ? "\n"u8 : "\n\n"u8);
        }

        return path;
    }

    private static bool MboxrdUnescapeIsQuotable(string line) => line.TrimStart('>').StartsWith("From ", StringComparison.Ordinal);

    [Fact]
    public async Task Listing_and_fetch_give_back_the_exact_bytes_written()
    {
        using var temp = new TempDirectory();
        var messages = Originals.Select(Encoding.UTF8.GetBytes).ToList();
        // The writer adds "\n" after a message without a final newline; the reader cannot know, so expect it.
        messages[3] = [.. messages[3], (byte)'\n'];
        var file = WriteMbox(temp.Combine("alice@example.com", "INBOX.mbox"), messages);

        var source = new MboxFolderSource(temp.Combine("alice@example.com"));
        var folder = Assert.Single(await source.ListFoldersAsync(CancellationToken.None));
        Assert.Equal(("INBOX", SpecialUse.Inbox), (folder.Path, folder.SpecialUse));
        Assert.Null(folder.UidValidity);

        var summaries = await TestSupport.ListAsync(source, folder);
        Assert.Equal(4, summaries.Count);
        Assert.Equal("0", summaries[0].SourceId);
        Assert.Equal(["id:one@example.com", "id:two@example.com", "id:three@example.com", "id:four@example.com"], summaries.Select(s => s.DedupKey));
        Assert.All(summaries, s => Assert.Null(s.Warning));
        Assert.Equal(new DateTimeOffset(2024, 11, 27, 8, 58, 36, TimeSpan.Zero), summaries[0].InternalDate);

        var fileBytes = await File.ReadAllBytesAsync(file);
        var offset = int.Parse(summaries[1].SourceId, System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("From sender@example.com", Encoding.ASCII.GetString(fileBytes, offset, 30), StringComparison.Ordinal);

        var fetched = await TestSupport.FetchAllAsync(source, folder, summaries);
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.Equal(TestSupport.Sha256(messages[i]), TestSupport.Sha256(fetched[i]));
            Assert.Equal(messages[i].Length, summaries[i].Size);
        }
    }

    [Fact]
    public async Task Messages_larger_than_the_read_buffer_and_lines_longer_than_it_are_split_correctly()
    {
        using var temp = new TempDirectory();
        var random = new Random(7);
        var longLine = new string('x', 3 * 1024 * 1024);
        var messages = new List<byte[]>
        {
            Encoding.ASCII.GetBytes("Subject: long line\nMessage-ID: <long@x>\n\n" + longLine + "\nFrom inside\n"),
            Encoding.ASCII.GetBytes("Subject: many lines\nMessage-ID: <many@x>\n\n" + string.Concat(Enumerable.Range(0, 40_000).Select(i => ">From " + i + " line of text\n"))),
            Encoding.ASCII.GetBytes("Subject: small\nMessage-ID: <small@x>\n\nsmall\n"),
        };
        var bytes = new byte[2 * 1024 * 1024];
        random.NextBytes(bytes);
        messages.Add(Encoding.ASCII.GetBytes("Subject: base64\nMessage-ID: <b64@x>\n\n" + Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n"));
        WriteMbox(temp.Combine("a", "INBOX.mbox"), messages);

        var source = new MboxFolderSource(temp.Combine("a"));
        var folder = Assert.Single(await source.ListFoldersAsync(CancellationToken.None));
        var summaries = await TestSupport.ListAsync(source, folder);
        Assert.Equal(["id:long@x", "id:many@x", "id:small@x", "id:b64@x"], summaries.Select(s => s.DedupKey));
        var fetched = await TestSupport.FetchAllAsync(source, folder, summaries);
        Assert.Equal(messages.Select(TestSupport.Sha256), fetched.Select(TestSupport.Sha256));
    }

    [Fact]
    public async Task Nested_mbox_files_become_nested_folders_with_special_uses()
    {
        var source = new MboxFolderSource(Path.Combine(RepoPaths.SampleData, "source", "alice@example.com"));
        var folders = await source.ListFoldersAsync(CancellationToken.None);
        Assert.Equal(["INBOX", "Archive/2023", "Archive/2024", "Drafts", "Projets/Budget", "Projets/Été 2024", "Sent"], folders.Select(f => f.Path));
        Assert.Equal(SpecialUse.Inbox, folders[0].SpecialUse);
        Assert.Equal(SpecialUse.Sent, folders.Single(f => f.Path == "Sent").SpecialUse);
        Assert.Equal(SpecialUse.Drafts, folders.Single(f => f.Path == "Drafts").SpecialUse);
        Assert.Equal(SpecialUse.None, folders.Single(f => f.Path == "Archive/2023").SpecialUse);
    }

    [Fact]
    public async Task Malformed_sample_messages_are_listed_with_warnings_and_copied_as_they_are()
    {
        var root = Path.Combine(RepoPaths.SampleData, "source", "alice@example.com");
        var source = new MboxFolderSource(root);
        var inbox = (await source.ListFoldersAsync(CancellationToken.None))[0];
        var summaries = await TestSupport.ListAsync(source, inbox);
        var fetched = await TestSupport.FetchAllAsync(source, inbox, summaries);

        var headerless = Assert.Single(summaries, s => s.Warning?.Contains("header", StringComparison.Ordinal) == true);
        Assert.Contains(Path.Combine(root, "INBOX.mbox"), headerless.Warning, StringComparison.Ordinal);
        Assert.Contains("byte " + headerless.SourceId, headerless.Warning, StringComparison.Ordinal);
        Assert.StartsWith("This message has no header", Encoding.UTF8.GetString(fetched[summaries.IndexOf(headerless)]), StringComparison.Ordinal);

        Assert.Equal(2, summaries.Count(s => s.DedupKey == "id:same-id@example.net"));
        var noId = Assert.Single(summaries, s => s.DedupKey.StartsWith("hh:", StringComparison.Ordinal) && s != headerless);
        Assert.Null(noId.MessageId);

        var eightBit = fetched[summaries.FindIndex(s => s.DedupKey == "id:eight-bit@example.net")];
        Assert.Contains((byte)0xE9, eightBit);
        var mixed = Encoding.ASCII.GetString(fetched[summaries.FindIndex(s => s.DedupKey == "id:mixed-endings@example.net")]);
        Assert.Contains("\r\n\r\nline one\nline two\r\n", mixed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_last_message_is_copied_with_a_warning()
    {
        var source = new MboxFolderSource(Path.Combine(RepoPaths.SampleData, "source", "bob@example.com"));
        var folder = (await source.ListFoldersAsync(CancellationToken.None)).Single(f => f.Path == "Archive/2023");
        var summaries = await TestSupport.ListAsync(source, folder);
        Assert.Contains("truncated", summaries[^1].Warning, StringComparison.Ordinal);
        Assert.All(summaries.SkipLast(1), s => Assert.Null(s.Warning));
        var fetched = await TestSupport.FetchAllAsync(source, folder, summaries);
        Assert.NotEqual((byte)'\n', fetched[^1][^1]);
    }

    [Fact]
    public async Task An_empty_file_has_no_messages_and_a_file_that_is_not_mbox_fails_clearly()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("a"));
        await File.WriteAllBytesAsync(temp.Combine("a", "Empty.mbox"), []);
        await File.WriteAllTextAsync(temp.Combine("a", "Notes.mbox"), "Subject: this is an eml, not an mbox\n\nhello\n");
        var source = new MboxFolderSource(temp.Combine("a"));
        var folders = await source.ListFoldersAsync(CancellationToken.None);

        Assert.Empty(await TestSupport.ListAsync(source, folders.Single(f => f.Path == "Empty")));
        var error = await Assert.ThrowsAsync<MigrationException>(() => TestSupport.ListAsync(source, folders.Single(f => f.Path == "Notes")));
        Assert.Equal("MIG0803", error.Diagnostic.Code);
        Assert.Equal(temp.Combine("a", "Notes.mbox"), error.Diagnostic.File);
        Assert.Contains("Notes.mbox is not an mbox file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_without_a_prior_listing_indexes_the_file()
    {
        using var temp = new TempDirectory();
        var messages = Originals.Take(2).Select(Encoding.UTF8.GetBytes).ToList();
        WriteMbox(temp.Combine("a", "INBOX.mbox"), messages);
        var lister = new MboxFolderSource(temp.Combine("a"));
        var folder = Assert.Single(await lister.ListFoldersAsync(CancellationToken.None));
        var summaries = await TestSupport.ListAsync(lister, folder);

        var fresh = new MboxFolderSource(temp.Combine("a"));
        var fetched = await TestSupport.FetchAllAsync(fresh, folder, [summaries[1]]);
        Assert.Equal(TestSupport.Sha256(messages[1]), TestSupport.Sha256(fetched[0]));
    }
}
