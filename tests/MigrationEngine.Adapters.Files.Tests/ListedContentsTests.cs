using System.Text;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>
/// A Maildir listing reads each small message file once: its header section and its bytes from one read, kept for the fetch
/// (bounded), with the file's size and time from one lstat. What a reader sees must not change.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ListedContentsTests
{
    private static async Task<(MaildirSource Source, SourceFolder Inbox, string Cur)> MailboxAsync(TempDirectory temp, params byte[][] messages)
    {
        var cur = Directory.CreateDirectory(temp.Combine("m", "cur")).FullName;
        Directory.CreateDirectory(temp.Combine("m", "new"));
        for (var i = 0; i < messages.Length; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(cur, $"100{i}.M{i}.host:2,S"), messages[i]);
        }

        var source = new MaildirSource(temp.Combine("m"));
        var inbox = Assert.Single(await source.ListFoldersAsync(CancellationToken.None));
        return (source, inbox, cur);
    }

    [Fact]
    public async Task A_small_message_is_fetched_from_the_bytes_its_listing_read()
    {
        using var temp = new TempDirectory();
        var small = Encoding.ASCII.GetBytes("Message-ID: <s@x>\r\nSubject: small\r\n\r\nbody\r\n");
        var (source, inbox, cur) = await MailboxAsync(temp, small);
        var listed = Assert.Single(await TestSupport.ListAsync(source, inbox));
        Assert.Equal(("id:s@x", small.Length), (listed.DedupKey, (int)listed.Size!));

        // Gone from the disk after the listing: the bytes listed are still copied whole (the file was read once).
        File.Delete(Path.Combine(cur, "1000.M0.host:2,S"));
        Assert.Equal(small, Assert.Single(await TestSupport.FetchAllAsync(source, inbox, [listed])));

        // Handed out once: a second fetch (a retried batch) reads the folder again and finds the message gone.
        var error = await Assert.ThrowsAsync<MigrationException>(() => TestSupport.FetchAllAsync(source, inbox, [listed]));
        Assert.Equal("MIG0807", error.Diagnostic.Code);
    }

    [Fact]
    public async Task A_message_larger_than_the_header_read_is_read_again_at_fetch()
    {
        using var temp = new TempDirectory();
        var large = Encoding.ASCII.GetBytes("Message-ID: <l@x>\n\n" + new string('x', ListedContents.FileLimit) + "\n");
        var (source, inbox, cur) = await MailboxAsync(temp, large);
        var listed = Assert.Single(await TestSupport.ListAsync(source, inbox));
        Assert.Equal(large.Length, listed.Size);
        Assert.Equal(large, Assert.Single(await TestSupport.FetchAllAsync(source, inbox, [listed])));

        File.Delete(Path.Combine(cur, "1000.M0.host:2,S"));
        var error = await Assert.ThrowsAsync<MigrationException>(() => TestSupport.FetchAllAsync(source, inbox, [listed]));
        Assert.Equal("MIG0807", error.Diagnostic.Code);
    }

    [Theory]
    [InlineData(100, 100, true)]
    [InlineData(100, 99, false)]
    [InlineData(100, 101, false)]
    [InlineData(0, 0, true)]
    [InlineData(1, 0, false)]
    public async Task A_file_is_kept_only_when_its_one_read_ends_where_its_lstat_said(int onDisk, int listed, bool kept)
    {
        // listed < onDisk: the file grew after its lstat (still being written); listed > onDisk: it shrank. Either way it
        // is read as a larger file is, never kept cut short; the byte read beyond the content is what tells growth.
        using var temp = new TempDirectory();
        var file = temp.Combine("message");
        var bytes = Enumerable.Range(0, onDisk).Select(i => (byte)i).ToArray();
        await File.WriteAllBytesAsync(file, bytes);
        Assert.Equal(kept, MessageFile.TryReadExactly(file, listed, out var content));
        if (kept)
        {
            Assert.Equal(bytes, content);
        }
    }

    [Fact]
    public void The_kept_bytes_are_bounded_and_counted()
    {
        var contents = new ListedContents();
        Assert.False(contents.HasRoomFor(ListedContents.FileLimit + 1));
        var chunk = new byte[ListedContents.FileLimit];
        var kept = 0;
        while (contents.HasRoomFor(chunk.Length))
        {
            contents.Keep("d", "m" + kept++, chunk);
        }

        Assert.Equal(ListedContents.Budget / ListedContents.FileLimit, kept);
        Assert.Equal(ListedContents.Budget, contents.Bytes);

        // Listed again: the new bytes replace the old ones, counted once.
        contents.Keep("d", "m0", new byte[10]);
        Assert.Equal(ListedContents.Budget - ListedContents.FileLimit + 10, contents.Bytes);
        Assert.True(contents.TryTake("d", "m0", out var taken));
        Assert.Equal(10, taken.Length);
        Assert.False(contents.TryTake("d", "m0", out _));
        Assert.False(contents.TryTake("other", "m1", out _));
        contents.Forget("d", "m1");
        Assert.Equal(ListedContents.Budget - (2L * ListedContents.FileLimit), contents.Bytes);
    }

    [Theory]
    [InlineData("Message-ID: <a@x>\r\nSubject: crlf\r\n\r\nbody\r\n")]
    [InlineData("Message-ID: <b@x>\nSubject: no blank line, no body")]
    [InlineData("")]
    [InlineData("not a header\n\nbody\n")]
    [InlineData("LONG")]
    public async Task Headers_read_from_the_bytes_are_the_ones_read_from_the_file(string text)
    {
        using var temp = new TempDirectory();
        if (text == "LONG")
        {
            // A field longer than the mbox scanner's look-ahead, and a file longer than one header read.
            text = "Subject: " + new string('s', 9000) + "\nMessage-ID: <long@x>\n\n" + new string('b', 70_000);
        }

        var bytes = Encoding.ASCII.GetBytes(text);
        var file = temp.Combine("message");
        await File.WriteAllBytesAsync(file, bytes);
        Assert.Equal(MessageHeaders.ReadFromFile(file), MessageHeaders.Read(bytes));
    }

    [Fact]
    public async Task One_lstat_tells_the_size_and_time_a_file_info_tells_and_leaves_links_and_pipes_to_resolve()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("message");
        await File.WriteAllBytesAsync(file, new byte[1234]);
        File.SetLastWriteTimeUtc(file, new DateTime(2023, 3, 4, 5, 6, 7, 891, DateTimeKind.Utc).AddTicks(2345));
        Assert.True(MessageFile.TryRegular(file, out var length, out var written));
        var info = new FileInfo(file);
        Assert.Equal((info.Length, info.LastWriteTimeUtc), (length, written));
        Assert.Equal(DateTimeKind.Utc, written.Kind);

        File.CreateSymbolicLink(temp.Combine("link"), file);
        Assert.False(MessageFile.TryRegular(temp.Combine("link"), out _, out _));
        Assert.Equal(0, Mono.Unix.Native.Syscall.mkfifo(temp.Combine("fifo"), Mono.Unix.Native.FilePermissions.DEFFILEMODE));
        Assert.False(MessageFile.TryRegular(temp.Combine("fifo"), out _, out _));
        Assert.Throws<FileNotFoundException>(() => MessageFile.TryRegular(temp.Combine("missing"), out _, out _));
    }
}
