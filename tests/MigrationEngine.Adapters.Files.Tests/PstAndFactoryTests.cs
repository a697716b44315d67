using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

[Trait("Category", "Server")]
public sealed class PstAndFactoryTests
{
    private const string PstDirectory = "/work/shared/data/pst";

    private static void RequireReadpst()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .Any(directory => File.Exists(Path.Combine(directory, "readpst")));
        Assert.True(found, "readpst is not installed: install the Debian package pst-utils (apt-get install -y pst-utils)");
    }

    private static string SamplePst(string name)
    {
        var path = Path.Combine(PstDirectory, name);
        Assert.True(File.Exists(path), $"sample PST {path} is missing");
        return path;
    }

    [Fact]
    public async Task A_pst_is_served_as_folders_of_messages_and_its_temporary_tree_is_removed()
    {
        RequireReadpst();
        var context = TestSupport.Context("pst", SamplePst("ruby-msg_attachAndInline.pst"), "user@example.com");
        var source = await new FileSourceFactory().OpenAsync(context, CancellationToken.None);
        // A second worker of the same mailbox shares the conversion; it is removed with the last one.
        var secondWorker = await new FileSourceFactory().OpenAsync(context, CancellationToken.None);
        string? temporaryFile;
        try
        {
            var folders = await source.ListFoldersAsync(CancellationToken.None);
            var inbox = Assert.Single(folders);
            Assert.Equal(("INBOX", SpecialUse.Inbox), (inbox.Path, inbox.SpecialUse));
            var message = Assert.Single(await TestSupport.ListAsync(source, inbox));
            var bytes = Assert.Single(await TestSupport.FetchAllAsync(source, inbox, [message]));
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.Contains("Subject: Attach and inline", text, StringComparison.Ordinal);
            Assert.Contains("attach.png", text, StringComparison.Ordinal);
            var root = ((Eml.EmlSource)source).Root;
            Assert.Contains("migration-engine-pst-", root, StringComparison.Ordinal);
            temporaryFile = Directory.GetFiles(root, "*.eml").Single();
            await secondWorker.DisposeAsync();
            Assert.True(File.Exists(temporaryFile));
            Assert.Single(await TestSupport.FetchAllAsync(source, inbox, [message]));
        }
        finally
        {
            await source.DisposeAsync();
        }

        Assert.False(File.Exists(temporaryFile));
    }

    [Fact]
    public async Task Contacts_and_calendar_items_are_reported_as_not_migrated()
    {
        RequireReadpst();
        var sink = new CollectingSink();
        var logger = new Serilog.LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        var context = TestSupport.Context("pst", PstDirectory, "java-libpst_dist-list", logger: logger);
        await using var source = await new FileSourceFactory().OpenAsync(context, CancellationToken.None);
        var folders = await source.ListFoldersAsync(CancellationToken.None);
        Assert.DoesNotContain(folders, f => f.Path.Contains("Contacts", StringComparison.Ordinal));
        foreach (var folder in folders)
        {
            Assert.Empty(await TestSupport.ListAsync(source, folder));
        }

        var warning = Assert.Single(sink.Events, e => e.Level == Serilog.Events.LogEventLevel.Warning);
        Assert.Contains("MIG0813", warning.RenderMessage(), StringComparison.Ordinal);
        Assert.Contains("2 item(s) that are not mail", warning.RenderMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_protected_pst_fails_with_a_clear_diagnostic()
    {
        RequireReadpst();
        var pst = SamplePst("java-libpst_passworded.pst");
        var context = TestSupport.Context("pst", pst, "user@example.com");
        var error = await Assert.ThrowsAsync<MigrationException>(() => new FileSourceFactory().OpenAsync(context, CancellationToken.None));
        Assert.Equal("MIG0812", error.Diagnostic.Code);
        Assert.Equal(pst, error.Diagnostic.File);
        Assert.Contains("password-protected", error.Message, StringComparison.Ordinal);
        Assert.Contains("skipped 9 item(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_pst_fails_with_a_clear_diagnostic()
    {
        RequireReadpst();
        using var temp = new TempDirectory();
        var bytes = await File.ReadAllBytesAsync(SamplePst("ruby-msg_msgInMsg.pst"));
        await File.WriteAllBytesAsync(temp.Combine("broken@example.com.pst"), bytes[..600]);
        var context = TestSupport.Context("pst", temp.Path, "broken@example.com");
        var error = await Assert.ThrowsAsync<MigrationException>(() => new FileSourceFactory().OpenAsync(context, CancellationToken.None));
        Assert.Equal("MIG0811", error.Diagnostic.Code);
        Assert.Contains("broken@example.com.pst cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Factories_report_a_missing_path_and_a_missing_mailbox_where_they_are_written()
    {
        var factory = new FileSourceFactory();
        Assert.Equal([EndpointType.Mbox, EndpointType.Maildir, EndpointType.Eml, EndpointType.Pst], factory.Types);
        var noPath = await Assert.ThrowsAsync<MigrationException>(() => factory.OpenAsync(TestSupport.Context("mbox", null, "a@x"), CancellationToken.None));
        Assert.Equal(("MIG0801", 7), (noPath.Diagnostic.Code, noPath.Diagnostic.Line));

        var missing = await Assert.ThrowsAsync<MigrationException>(() => factory.OpenAsync(TestSupport.Context("mbox", Path.Combine(RepoPaths.SampleData, "source"), "nobody@example.com"), CancellationToken.None));
        Assert.Equal(("MIG0802", 30), (missing.Diagnostic.Code, missing.Diagnostic.Line));
        Assert.Contains("nobody@example.com", missing.Message, StringComparison.Ordinal);

        var takeoutAsFolders = await Assert.ThrowsAsync<MigrationException>(() => factory.OpenAsync(TestSupport.Context("mbox", Path.Combine(RepoPaths.SampleData, "takeout"), "erin@example.com"), CancellationToken.None));
        Assert.Contains("layout: takeout", takeoutAsFolders.Diagnostic.Hint, StringComparison.Ordinal);

        await using var takeout = await factory.OpenAsync(TestSupport.Context("mbox", Path.Combine(RepoPaths.SampleData, "takeout"), "erin@example.com", layout: "takeout", labelCopies: LabelCopyMode.Once), CancellationToken.None);
        Assert.Equal(30, (await takeout.ListFoldersAsync(CancellationToken.None)).Sum(f => f.MessageCount));

        using var temp = new TempDirectory();
        var targetContext = TestSupport.Context("maildir", temp.Path, "src@example.com", "dst@example.com", role: EndpointRole.Target);
        await using var target = await new MaildirTargetFactory().OpenAsync(targetContext, CancellationToken.None);
        Assert.True(Directory.Exists(temp.Combine("dst@example.com", "cur")));
    }
}
