using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>
/// The file adapters classify their own read failures: a source file that is gone or shrank under the reader is a permanent
/// MIG0806 naming the file (another attempt reads the same file), never a bare I/O exception left for Core to retry.
/// </summary>
[Trait("Category", "Unit")]
public sealed class FileFailureClassificationTests
{
    [Fact]
    public void A_file_that_shrank_under_the_reader_is_a_permanent_read_failure()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("mbox");
        File.WriteAllBytes(file, new byte[100]);
        using var window = new FileWindowStream(file, 50, 100);

        var failure = Assert.Throws<MigrationException>(() => window.ReadExactly(new byte[100]));

        Assert.False(failure.Transient);
        Assert.Equal(DiagnosticCatalog.FileReadFailed.Code, failure.Diagnostic.Code);
        Assert.Contains(file, failure.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_gone_is_a_permanent_read_failure()
    {
        using var temp = new TempDirectory();
        using var window = new FileWindowStream(temp.Combine("vanished"), 0, 10);

        var failure = Assert.Throws<MigrationException>(() => window.ReadExactly(new byte[10]));

        Assert.False(failure.Transient);
        Assert.Equal(DiagnosticCatalog.FileReadFailed.Code, failure.Diagnostic.Code);
        Assert.IsAssignableFrom<IOException>(failure.InnerException);
    }
}
