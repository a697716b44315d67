using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>National clouds: importMime only in the global service, no attachment upload sessions in US Government L4/L5.</summary>
[Trait("Category", "Server")]
public sealed class GraphCloudTests
{
    [Fact]
    public async Task UsGovernmentImportsInJsonModeAndReportsAttachmentsTooLargeWithoutUploadSessions()
    {
        await using var bed = await GraphTestBed.StartAsync();
        const string mailbox = "gov@contoso.example";
        bed.Emulator.AddUser(mailbox);
        // The emulator stands in for the cloud's Graph root; the cloud decides what the adapter may call.
        var endpoint = bed.Endpoint() with { Cloud = MicrosoftCloud.UsGov };
        await using var target = await bed.Factory.OpenAsync(bed.Context(endpoint, mailbox), default);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        var small = TestMail.Build("small", attachmentBytes: 20_000);
        var large = TestMail.Build("large", attachmentBytes: 4 * 1024 * 1024);

        var results = await target.AppendAsync(folder, [TestMail.Content(small, "1", MailFlags.Seen), TestMail.Content(large, "2")], default);

        Assert.False(results[0].Rejected);
        var stored = Assert.Single(bed.Emulator.MessagesIn(mailbox, "inbox"));
        Assert.Null(stored.Mime);
        Assert.True(stored.IsRead);
        Assert.True(results[1].Rejected);
        Assert.Contains("no upload sessions", results[1].RejectionReason, StringComparison.Ordinal);
        Assert.DoesNotContain(bed.Emulator.RequestLog, l => l.Contains("importMime", StringComparison.Ordinal) || l.Contains("createUploadSession", StringComparison.Ordinal));
        Assert.Equal(0, bed.Factory.Metrics.MimeFallbacks);
    }
}
