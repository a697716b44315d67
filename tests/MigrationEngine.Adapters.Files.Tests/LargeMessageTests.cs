using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Adapters.Files.Mbox;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>Memory figures are process-wide: this collection runs alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(LargeMessageTests), DisableParallelization = true)]
public sealed class LargeMessageCollection;

[Collection(nameof(LargeMessageTests))]
[Trait("Category", "Unit")]
public sealed class LargeMessageTests
{
    [Fact]
    public async Task A_200_MB_message_is_listed_and_copied_without_being_loaded_into_memory()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("big@example.com", "INBOX.mbox");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        const long BodyBytes = 200L * 1024 * 1024;
        string expectedHash;
        long messageLength;
        using (var output = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            output.Write("From big@example.com Mon Jan  1 00:00:00 2024\n"u8);
            var header = Encoding.ASCII.GetBytes("Subject: big\nMessage-ID: <big@x>\n\n");
            output.Write(header);
            hash.AppendData(header);
            var line = Encoding.ASCII.GetBytes(new string('A', 76) + "\n");
            var block = new byte[line.Length * 13_000];
            for (var i = 0; i < 13_000; i++)
            {
                line.CopyTo(block, i * line.Length);
            }

            long written = 0;
            while (written < BodyBytes)
            {
                output.Write(block);
                hash.AppendData(block);
                written += block.Length;
            }

            messageLength = header.Length + written;
            output.Write("\n"u8);
            expectedHash = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var peakBefore = process.PeakWorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var source = new MboxFolderSource(temp.Combine("big@example.com"));
        var folder = Assert.Single(await source.ListFoldersAsync(CancellationToken.None));
        var summary = Assert.Single(await TestSupport.ListAsync(source, folder));
        Assert.Equal(messageLength, summary.Size);
        var target = MaildirTarget.Open(temp.Combine("out"));
        var targetFolder = await target.EnsureFolderAsync("INBOX", Core.Execution.SpecialUse.Inbox, CancellationToken.None);
        await foreach (var content in source.FetchAsync(folder, [summary], CancellationToken.None))
        {
            await using (content)
            {
                var result = Assert.Single(await target.AppendAsync(targetFolder, [content], CancellationToken.None));
                var copied = Directory.GetFiles(temp.Combine("out", "cur"), result.TargetId + "*").Single();
                Assert.Equal(messageLength, new FileInfo(copied).Length);
                using var stream = File.OpenRead(copied);
                Assert.Equal(expectedHash, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var managedGrowth = GC.GetTotalMemory(forceFullCollection: true) - managedBefore;
        process.Refresh();
        var peakGrowth = process.PeakWorkingSet64 - peakBefore;
        Console.WriteLine($"200 MB message: allocated {allocated / 1048576.0:F1} MB, managed growth {managedGrowth / 1048576.0:F1} MB, peak working set growth {peakGrowth / 1048576.0:F1} MB");
        // The hashing of the copy reads through a stream too; nothing should come near the message size.
        Assert.True(allocated < 64L * 1024 * 1024, $"allocated {allocated} bytes");
        Assert.True(managedGrowth < 64L * 1024 * 1024, $"managed heap grew by {managedGrowth} bytes");
        Assert.True(peakGrowth < 64L * 1024 * 1024, $"peak working set grew by {peakGrowth} bytes");
    }
}
