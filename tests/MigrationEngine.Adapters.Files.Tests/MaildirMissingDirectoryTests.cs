using System.Text;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>
/// Directories are listed without asking first whether they exist (DirectoryListing): what Directory.Exists called
/// missing (removed, a file in its place) is still empty, on the source and on the target, and the root is read once.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MaildirMissingDirectoryTests
{
    [Fact]
    public async Task A_folder_whose_cur_or_new_went_away_after_the_folder_listing_lists_what_is_left()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("m");
        await WriteMessageAsync(Path.Combine(root, "cur"), "1000.M0.host:2,S", "a");
        await WriteMessageAsync(Path.Combine(root, "new"), "1001.M1.host", "b");
        await WriteMessageAsync(Path.Combine(root, ".Work", "cur"), "1002.M2.host:2,", "c");
        var source = new MaildirSource(root);
        var folders = await source.ListFoldersAsync(CancellationToken.None);
        Assert.Equal(new[] { "INBOX", "Work" }, folders.Select(folder => folder.Path));
        Assert.Equal(new int?[] { 2, 1 }, folders.Select(folder => folder.MessageCount));

        Directory.Delete(Path.Combine(root, "cur"), recursive: true);
        Assert.Equal("1001.M1.host", Assert.Single(await TestSupport.ListAsync(source, folders[0])).SourceId);
        Directory.Delete(Path.Combine(root, ".Work", "cur"), recursive: true);
        await File.WriteAllTextAsync(Path.Combine(root, ".Work", "cur"), "a file where a directory was");
        Assert.Empty(await TestSupport.ListAsync(source, folders[1]));
        Assert.Equal(1, Assert.Single(await new MaildirSource(root).ListFoldersAsync(CancellationToken.None)).MessageCount);
    }

    [Fact]
    public async Task The_root_is_inbox_by_its_cur_or_new_directory_even_through_a_link_and_a_missing_root_still_throws()
    {
        using var temp = new TempDirectory();
        var real = Directory.CreateDirectory(temp.Combine("elsewhere", "cur")).FullName;
        Directory.CreateDirectory(temp.Combine("linked"));
        File.CreateSymbolicLink(temp.Combine("linked", "cur"), real);
        Assert.Equal("INBOX", Assert.Single(await new MaildirSource(temp.Combine("linked")).ListFoldersAsync(CancellationToken.None)).Path);

        Directory.CreateDirectory(temp.Combine("plain"));
        await File.WriteAllTextAsync(temp.Combine("plain", "new"), "not a directory");
        Assert.Empty(await new MaildirSource(temp.Combine("plain")).ListFoldersAsync(CancellationToken.None));

        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => new MaildirSource(temp.Combine("absent")).ListFoldersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_target_folder_without_cur_or_new_counts_and_lists_nothing_there()
    {
        using var temp = new TempDirectory();
        var target = MaildirTarget.Open(temp.Combine("t"));
        var inbox = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, CancellationToken.None);
        await WriteMessageAsync(Path.Combine(target.Root, "new"), "1.M1.host", "n");
        Directory.Delete(Path.Combine(target.Root, "cur"));
        await File.WriteAllTextAsync(Path.Combine(target.Root, "cur"), "a file where a directory was");
        Assert.Equal(1, (await target.CountMessagesAsync([inbox], CancellationToken.None))["INBOX"]);
        Assert.Single(await target.ListMessageKeysAsync(inbox, CancellationToken.None));

        Directory.Delete(Path.Combine(target.Root, "new"), recursive: true);
        Assert.Equal(0, (await target.CountMessagesAsync([inbox], CancellationToken.None))["INBOX"]);
        Assert.Empty(await target.ListMessageKeysAsync(inbox, CancellationToken.None));
    }

    [Fact]
    public void The_one_read_of_a_small_file_declines_what_is_no_longer_a_readable_file()
    {
        using var temp = new TempDirectory();
        Assert.False(MessageFile.TryReadExactly(temp.Combine("gone"), 10, out _));
        Assert.False(MessageFile.TryReadExactly(Directory.CreateDirectory(temp.Combine("dir")).FullName, 0, out _));
        Assert.Empty(DirectoryListing.FilesOrNone(temp.Combine("gone")));
        Assert.Equal(0, DirectoryListing.CountVisibleFiles(temp.Combine("gone")));
    }

    private static async Task WriteMessageAsync(string directory, string name, string id)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, name), Encoding.ASCII.GetBytes($"Message-ID: <{id}@x>\n\nbody {id}\n"));
    }
}
