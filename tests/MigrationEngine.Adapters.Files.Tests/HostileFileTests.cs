using System.Text;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Adapters.Files.Mbox;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>File sources and targets against hostile input: links, huge header sections, addresses that are paths.</summary>
[Trait("Category", "Unit")]
public sealed class HostileFileTests
{
    private static void WriteMaildirMessage(string mailbox, string name, byte[] bytes)
    {
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(mailbox, sub));
        }

        File.WriteAllBytes(Path.Combine(mailbox, "cur", name), bytes);
    }

    [Fact]
    public async Task A_symlinked_message_inside_the_mailbox_is_read_by_its_real_size()
    {
        using var temp = new TempDirectory();
        var mailbox = temp.Combine("alice@example.com");
        var message = Encoding.ASCII.GetBytes("Message-ID: <link@x>\nSubject: behind a link\n\nbody of the real file\n");
        WriteMaildirMessage(mailbox, "1.M1.host:2,S", message);
        Directory.CreateDirectory(Path.Combine(mailbox, "store"));
        File.Move(Path.Combine(mailbox, "cur", "1.M1.host:2,S"), Path.Combine(mailbox, "store", "real"));
        File.CreateSymbolicLink(Path.Combine(mailbox, "cur", "1.M1.host:2,S"), "../store/real");

        var source = new MaildirSource(mailbox);
        var inbox = (await source.ListFoldersAsync(CancellationToken.None)).Single(f => f.Path == "INBOX");
        var listed = Assert.Single(await TestSupport.ListAsync(source, inbox));
        Assert.Equal(message.Length, listed.Size);
        var fetched = Assert.Single(await TestSupport.FetchAllAsync(source, inbox, [listed]));
        Assert.Equal(message, fetched);
    }

    [Fact]
    public async Task A_symlinked_message_leading_out_of_the_mailbox_is_refused_with_a_reason()
    {
        using var temp = new TempDirectory();
        var mailbox = temp.Combine("alice@example.com");
        WriteMaildirMessage(mailbox, "1.M1.host:2,S", "Subject: x\n\nx\n"u8.ToArray());
        File.WriteAllText(temp.Combine("outside.eml"), "Subject: secret\n\nnot yours\n");
        File.CreateSymbolicLink(Path.Combine(mailbox, "cur", "2.M2.host:2,S"), temp.Combine("outside.eml"));

        var source = new MaildirSource(mailbox);
        var inbox = (await source.ListFoldersAsync(CancellationToken.None)).Single(f => f.Path == "INBOX");
        var error = await Assert.ThrowsAsync<MigrationException>(() => TestSupport.ListAsync(source, inbox));
        Assert.Equal("MIG0820", error.Diagnostic.Code);
        Assert.Contains("leads outside", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("/srv/x@example.com", "%2Fsrv%2Fx@example.com")]
    [InlineData("../x@example.com", "%2E.%2Fx@example.com")]
    [InlineData("..", "%2E.")]
    [InlineData("a\0b", "a%00b")]
    [InlineData("100%@x.com", "100%25@x.com")]
    public void Addresses_become_file_names_that_stay_under_the_path(string address, string name)
    {
        Assert.Equal(name, MailboxFileNames.Encode(address));
        var full = Path.GetFullPath(MailboxFileNames.PathFor("/base", address));
        Assert.StartsWith("/base/", full, StringComparison.Ordinal);
        Assert.Equal("/base", Path.GetDirectoryName(full));
    }

    [Fact]
    public void An_overlong_address_becomes_a_name_the_file_system_allows_and_stays_distinct()
    {
        var one = MailboxFileNames.Encode(new string('a', 300) + "1@example.com");
        var two = MailboxFileNames.Encode(new string('a', 300) + "2@example.com");
        Assert.True(Encoding.UTF8.GetByteCount(one) <= 240);
        Assert.NotEqual(one, two);
    }

    /// <summary>A Message-ID after more than 1 MB of header fields: the mbox listing and the Maildir's verification read the same key.</summary>
    [Fact]
    public async Task A_header_section_over_one_megabyte_gives_the_same_key_on_both_sides()
    {
        using var temp = new TempDirectory();
        var header = new StringBuilder("From: a@example.com\nSubject: huge header\n");
        for (var i = 0; i < 20_000; i++)
        {
            header.Append("X-Filler-").Append(i).Append(": ").Append('x', 80).Append('\n');
        }

        header.Append("Message-ID: <after-a-megabyte@example.com>\n\nbody\n");
        var message = Encoding.ASCII.GetBytes(header.ToString());
        Assert.True(message.Length > 1_500_000);
        MboxSourceTests.WriteMbox(temp.Combine("src", "alice@example.com", "INBOX.mbox"), [message]);

        var source = new MboxFolderSource(temp.Combine("src", "alice@example.com"));
        var folder = Assert.Single(await source.ListFoldersAsync(CancellationToken.None));
        var listed = Assert.Single(await TestSupport.ListAsync(source, folder));
        Assert.Equal("id:after-a-megabyte@example.com", listed.DedupKey);

        var target = MaildirTarget.Open(temp.Combine("out", "alice@example.com"));
        var inbox = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, CancellationToken.None);
        var fetched = Assert.Single(await TestSupport.FetchAllAsync(source, folder, [listed]));
        await target.AppendAsync(inbox, [new MessageContent(listed, new MemoryStream(fetched), fetched.Length)], CancellationToken.None);
        Assert.Equal(new[] { listed.DedupKey }, (await target.ListMessageKeysAsync(inbox, CancellationToken.None)).ToArray());
    }

    [Fact]
    public void The_collector_keeps_only_wanted_fields_after_a_megabyte_in_whole_lines_or_pieces()
    {
        var lines = new List<string> { "Subject: first\n" };
        lines.AddRange(Enumerable.Range(0, 15_000).Select(i => $"X-{i}: {new string('y', 70)}\n"));
        lines.Add("Message-ID: <late@x>\n");
        lines.Add(" continued\n");
        lines.Add("X-Dropped: z\n");
        var whole = new HeaderSectionCollector();
        var pieces = new HeaderSectionCollector();
        foreach (var line in lines.Select(Encoding.ASCII.GetBytes))
        {
            whole.Add(line, lineStart: true);
            // The mbox scanner hands a long line over in pieces of at least 4 KB: the field name is in the first.
            pieces.Add(line.AsSpan(0, Math.Min(20, line.Length)), lineStart: true);
            pieces.Add(line.AsSpan(Math.Min(20, line.Length)), lineStart: false);
        }

        Assert.Equal(whole.Section.ToArray(), pieces.Section.ToArray());
        var text = Encoding.ASCII.GetString(whole.Section);
        Assert.EndsWith("Message-ID: <late@x>\n continued\n", text, StringComparison.Ordinal);
        Assert.Contains("<late@x>", MessageHeaders.Parse(whole.Section).MessageId, StringComparison.Ordinal);
        Assert.Equal("first", MessageHeaders.Parse(whole.Section).Subject?.Trim());
    }
}
