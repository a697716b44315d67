using System.Text;
using MigrationEngine.Adapters.Files.Eml;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Adapters.Files.Mbox;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>
/// What a range's reader relies on: an instance that did not list the folder serves any message another instance of the
/// mailbox listed, and keeps the rules of a single reader (a renamed Maildir file, a vanished file, a changed mbox).
/// </summary>
[Trait("Category", "Unit")]
public sealed class RangeReaderTests
{
    [Fact]
    public async Task A_maildir_instance_without_a_listing_finds_renamed_files_and_reports_vanished_ones()
    {
        using var temp = new TempDirectory();
        var cur = Directory.CreateDirectory(temp.Combine("m", "cur")).FullName;
        Directory.CreateDirectory(temp.Combine("m", "new"));
        var bodies = Enumerable.Range(0, 5).Select(i => Encoding.ASCII.GetBytes($"Message-ID: <{i}@x>\n\nbody {i}\n")).ToList();
        for (var i = 0; i < bodies.Count; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(cur, $"100{i}.M{i}.host:2,S"), bodies[i]);
        }

        var lister = new MaildirSource(temp.Combine("m"));
        var folder = Assert.Single(await lister.ListFoldersAsync(CancellationToken.None));
        Assert.IsAssignableFrom<IRangeFetchSource>(lister);
        var listed = await TestSupport.ListAsync(lister, folder);

        // A flag change after the listing renames a file; the reader maps the folder once and still finds it.
        File.Move(Path.Combine(cur, "1003.M3.host:2,S"), Path.Combine(cur, "1003.M3.host:2,FS"));
        var reader = new MaildirSource(temp.Combine("m"));
        var fetched = await TestSupport.FetchAllAsync(reader, folder, listed.Skip(2).ToList());
        Assert.Equal(bodies.Skip(2).Select(TestSupport.Sha256), fetched.Select(TestSupport.Sha256));

        File.Delete(Path.Combine(cur, "1001.M1.host:2,S"));
        var error = await Assert.ThrowsAsync<MigrationException>(() => TestSupport.FetchAllAsync(new MaildirSource(temp.Combine("m")), folder, [listed[1]]));
        Assert.Equal(("MIG0807", true), (error.Diagnostic.Code, error.Transient));
    }

    [Fact]
    public async Task An_eml_instance_without_a_listing_reads_listed_files_and_reports_vanished_ones()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("e", "Archive"));
        var bodies = Enumerable.Range(0, 3).Select(i => Encoding.ASCII.GetBytes($"Message-ID: <e{i}@x>\n\nbody {i}\n")).ToList();
        for (var i = 0; i < bodies.Count; i++)
        {
            await File.WriteAllBytesAsync(temp.Combine("e", "Archive", $"m{i}.eml"), bodies[i]);
        }

        var lister = new EmlTreeSource(temp.Combine("e"));
        var folder = Assert.Single(await lister.ListFoldersAsync(CancellationToken.None));
        var listed = await TestSupport.ListAsync(lister, folder);
        var fetched = await TestSupport.FetchAllAsync(new EmlTreeSource(temp.Combine("e")), folder, listed);
        Assert.Equal(bodies.Select(TestSupport.Sha256), fetched.Select(TestSupport.Sha256));

        File.Delete(temp.Combine("e", "Archive", "m1.eml"));
        var error = await Assert.ThrowsAsync<MigrationException>(() => TestSupport.FetchAllAsync(new EmlTreeSource(temp.Combine("e")), folder, [listed[1]]));
        Assert.Equal(("MIG0807", true), (error.Diagnostic.Code, error.Transient));
        // A PST's tree is one instance's own conversion: it stays one reader.
        Assert.False(typeof(IRangeFetchSource).IsAssignableFrom(typeof(Pst.PstSource)));
    }

    [Fact]
    public async Task An_mbox_reader_serves_byte_ranges_from_the_listing_scan_while_the_file_is_unchanged()
    {
        using var temp = new TempDirectory();
        var messages = Enumerable.Range(0, 4)
            .Select(i => Encoding.ASCII.GetBytes($"Message-ID: <b{i}@x>\n\nFrom the top, {i}\n>From quoted\nend\n")).ToList();
        var file = MboxSourceTests.WriteMbox(temp.Combine("a", "INBOX.mbox"), messages);
        var store = new MboxIndexStore();
        var lister = new MboxFolderSource(temp.Combine("a"), store);
        var folder = Assert.Single(await lister.ListFoldersAsync(CancellationToken.None));
        var listed = await TestSupport.ListAsync(lister, folder);
        // Ledger ids stay what they were: the byte offset of each message's From line.
        Assert.Equal("0", listed[0].SourceId);

        // Break the file's first From line without changing its size or time: a scan would now refuse the file, so the
        // reader that serves the last messages did not scan, it read their byte ranges from the listing's index.
        var time = File.GetLastWriteTimeUtc(file);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[0] = (byte)'X';
        await File.WriteAllBytesAsync(file, bytes);
        File.SetLastWriteTimeUtc(file, time);
        var reader = new MboxFolderSource(temp.Combine("a"), store);
        var fetched = await TestSupport.FetchAllAsync(reader, folder, listed.Skip(1).ToList());
        Assert.Equal(messages.Skip(1).Select(TestSupport.Sha256), fetched.Select(TestSupport.Sha256));

        // Changed since that scan (another time): a new reader scans the file itself, as one without a listing always did.
        File.SetLastWriteTimeUtc(file, time.AddMinutes(1));
        var late = new MboxFolderSource(temp.Combine("a"), store);
        var error = await Assert.ThrowsAsync<MigrationException>(() => TestSupport.FetchAllAsync(late, folder, [listed[2]]));
        Assert.Equal("MIG0803", error.Diagnostic.Code);

        // The mailbox's indexes go with its last instance: the next run scans anew.
        Assert.Equal(1, store.OpenMailboxes);
        foreach (var source in new[] { lister, reader, late })
        {
            await source.DisposeAsync();
            await source.DisposeAsync();
        }

        Assert.Equal(0, store.OpenMailboxes);
    }
}
