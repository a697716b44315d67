using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>
/// A written message gets its name in cur/ by one rename that never replaces (renameat2), or by link and unlink where there
/// is none: never over another file of that name. Both ways are tried (the static switch only changes which of two equal
/// outcomes another test running meanwhile gets).
/// </summary>
[Trait("Category", "Unit")]
public sealed class MaildirDeliveryTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_delivered_file_leaves_tmp_and_keeps_its_bytes_and_time(bool rename)
    {
        using var temp = new TempDirectory();
        using var way = new DeliveryWay(rename);
        var temporary = temp.Combine("tmp-file");
        await File.WriteAllTextAsync(temporary, "Message-ID: <d@x>\n\nbody\n");
        var written = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(temporary, written);

        MaildirTarget.Deliver(temporary, temp.Combine("cur-file"));
        Assert.False(File.Exists(temporary));
        Assert.Equal("Message-ID: <d@x>\n\nbody\n", await File.ReadAllTextAsync(temp.Combine("cur-file")));
        Assert.Equal(written, File.GetLastWriteTimeUtc(temp.Combine("cur-file")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_name_taken_already_is_refused_and_the_file_there_is_kept(bool rename)
    {
        using var temp = new TempDirectory();
        using var way = new DeliveryWay(rename);
        await File.WriteAllTextAsync(temp.Combine("tmp-file"), "new");
        await File.WriteAllTextAsync(temp.Combine("cur-file"), "already there");

        var error = Assert.Throws<IOException>(() => MaildirTarget.Deliver(temp.Combine("tmp-file"), temp.Combine("cur-file")));
        Assert.Contains("exists already", error.Message, StringComparison.Ordinal);
        Assert.Equal("already there", await File.ReadAllTextAsync(temp.Combine("cur-file")));
        Assert.True(File.Exists(temp.Combine("tmp-file")));
    }

    /// <summary>Delivers by rename or by link for the test's duration.</summary>
    private sealed class DeliveryWay : IDisposable
    {
        private readonly bool _before = NoReplaceRename.Available;

        public DeliveryWay(bool rename) => NoReplaceRename.Available = rename && _before;

        public void Dispose() => NoReplaceRename.Available = _before;
    }
}
