using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// Only passing errors are sent again (429, 503, 504, a 500 Exchange calls passing); a permanent answer about a message is
/// reported at once on that message with a code, and the rest of the batch goes on (https://learn.microsoft.com/graph/errors).
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphErrorClassTests
{
    private const string Mailbox = "paula@contoso.example";

    [Theory]
    [InlineData("mime", "importMime", 400, "ErrorInvalidRecipients")]
    [InlineData("json", "/messages", 400, "ErrorInvalidRecipients")]
    [InlineData("mime", "importMime", 413, "ErrorMessageSizeExceeded")]
    [InlineData("mime", "importMime", 500, "ErrorInternalServerError")]
    public async Task PermanentRefusalIsReportedOnTheMessageAtOnceAndNeverSentAgain(string mode, string path, int status, string code)
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox, importMode: mode);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        bed.Emulator.AddFault(FaultKind.GraphError, count: 1, pathContains: path, method: "POST", status: status, code: code);
        var posts = bed.Emulator.RequestLog.Count(l => l.StartsWith("POST", StringComparison.Ordinal));

        var results = await target.AppendAsync(folder, [TestMail.Content(TestMail.Build("refused"), "41")], default);

        var result = Assert.Single(results);
        Assert.True(result.Rejected);
        Assert.StartsWith("MIG1240: Graph refused message 41 for mailbox " + Mailbox, result.RejectionReason, StringComparison.Ordinal);
        Assert.Contains($"{status} {code}", result.RejectionReason, StringComparison.Ordinal);
        Assert.Equal(posts + 1, bed.Emulator.RequestLog.Count(l => l.StartsWith("POST", StringComparison.Ordinal)));
        Assert.Equal(0, bed.Emulator.MessageCount(Mailbox));
        Assert.Equal(0, bed.Factory.Metrics.RetryAfterWaits);
    }

    [Fact]
    public async Task PassingServerErrorFailsTheAttemptAsTransientForTheExecutorToRetry()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        bed.Emulator.AddFault(FaultKind.GraphError, count: 1, pathContains: "importMime", status: 500, code: "ErrorServerBusy");

        var error = await Assert.ThrowsAsync<MigrationException>(() =>
            target.AppendAsync(folder, [TestMail.Content(TestMail.Build("busy"), "1")], default));

        Assert.True(error.Transient);
        Assert.Equal("MIG0708", error.Diagnostic.Code);
    }

    [Fact]
    public async Task FlagUpdateRefusedForGoodIsReportedOnItsMessageAndNotRetried()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        // The first PATCH step of the batch is answered 404 ErrorItemNotFound inside the batch's 200.
        bed.Emulator.AddFault(FaultKind.GraphError, count: 1, method: "PATCH", batchStepsOnly: true, status: 404, code: "ErrorItemNotFound");

        var results = await target.AppendAsync(folder, [
            TestMail.Content(TestMail.Build("one"), "1", MailFlags.Seen),
            TestMail.Content(TestMail.Build("two"), "2", MailFlags.Seen),
        ], default);

        Assert.All(results, r => Assert.False(r.Rejected));
        var warned = Assert.Single(results, r => r.Warning is not null);
        Assert.StartsWith("MIG1241: message ", warned.Warning, StringComparison.Ordinal);
        Assert.Contains("404 ErrorItemNotFound", warned.Warning, StringComparison.Ordinal);
        // Two PATCH steps reached the server, once each: the refused one was not sent again.
        Assert.Equal(2, bed.Emulator.RequestLog.Count(l => l.StartsWith("PATCH", StringComparison.Ordinal)));
        var stored = bed.Emulator.MessagesIn(Mailbox, "inbox");
        Assert.True(stored.Single(m => m.Id == results.Single(r => r.Warning is null).TargetId).IsRead);
    }

    /// <summary>
    /// The adapter classifies its own transport failures: connections dropped more often than its own attempts leave it as a
    /// transient MigrationException (here MIG0713, the folder could not be made), never as an HTTP, socket or I/O exception for Core to recognise.
    /// </summary>
    [Fact]
    public async Task ConnectionsDroppedBeyondTheAdaptersAttemptsAreATransientMigrationException()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox);
        bed.Emulator.AddFault(FaultKind.DropBeforeProcessing, count: 50, pathContains: "childFolders", method: "GET");

        var error = await Assert.ThrowsAsync<MigrationException>(() => target.EnsureFolderAsync("Dropped", SpecialUse.None, default));

        Assert.True(error.Transient);
        Assert.Null(error.RetryAfter);
        Assert.Equal(Core.Diagnostics.DiagnosticCatalog.GraphFolderFailed.Code, error.Diagnostic.Code);
        Assert.IsNotType<MigrationException>(error.InnerException);
        Assert.True(bed.Factory.Metrics.ConnectionRetries >= 1);
    }
}
