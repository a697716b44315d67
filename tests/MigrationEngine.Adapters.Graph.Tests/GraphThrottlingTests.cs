using System.Text.Json.Nodes;
using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// The emulator throttles single steps of a $batch, drops connections, and counts every step against the mailbox's
/// concurrency and windows as Microsoft documents; read and flag state must arrive anyway, and the client must stay
/// inside the mailbox's budgets instead of drawing 429s.
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphThrottlingTests
{
    private const string Mailbox = "tess@contoso.example";
    private const string DedupProperty = "String {6c1bd0b9-5c0e-4a8e-9d43-1f8e0b7a2d11} Name MigrationEngineDedupKey";

    [Fact]
    public async Task ReadAndFlagStateSurviveAThrottledBatchStepAndADroppedConnection()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        var contents = Messages(60);
        // Three PATCH steps answered 429 inside the batch and one step whose connection drops (the batch answers it 504):
        // the client sends those steps again, rebuilt.
        bed.Emulator.AddFault(FaultKind.Throttle429, count: 3, pathContains: "/messages/", method: "PATCH", batchStepsOnly: true);
        bed.Emulator.AddFault(FaultKind.DropBeforeProcessing, count: 1, pathContains: "/messages/", method: "PATCH", batchStepsOnly: true);
        var results = (await target.AppendAsync(folder, Contents(contents.Take(40)), default)).ToList();
        Assert.Equal(4, bed.Emulator.FaultsInjected);
        Assert.True(bed.Factory.Metrics.RetryAfterWaits >= 1, bed.Factory.Metrics.ToString());

        // A whole $batch processed and its answer lost: the client sends it again.
        bed.Emulator.AddFault(FaultKind.DropAfterProcessing, count: 1, pathContains: "$batch", method: "POST");
        results.AddRange(await target.AppendAsync(folder, Contents(contents.Skip(40)), default));

        Assert.Equal(5, bed.Emulator.FaultsInjected);
        Assert.True(bed.Factory.Metrics.ConnectionRetries >= 1, bed.Factory.Metrics.ToString());
        AssertStateOfEveryMessage(bed, contents, results);
        Assert.NotEmpty(bed.Emulator.PatchBodies);
        Assert.All(bed.Emulator.PatchBodies, body => Assert.NotEmpty(Assert.IsType<JsonObject>(JsonNode.Parse(body))));
    }

    [Fact]
    public async Task BatchStepsTakeTheMailboxsConcurrencySlotsWhileImportsRun()
    {
        await using var bed = await GraphTestBed.StartAsync(GraphTestBed.FastOptions with { AppendParallelism = 8 });
        bed.Emulator.AddUser(Mailbox);
        bed.Emulator.ProcessingDelay = TimeSpan.FromMilliseconds(25);
        await using var target = await bed.OpenAsync(Mailbox);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        var contents = Messages(160);

        // Four writers on one mailbox: one writer's flag batch runs while the others import.
        var results = await Task.WhenAll(contents.Chunk(40).Select(chunk =>
            target.AppendAsync(folder, Contents(chunk), default)));

        Assert.Equal(0, bed.Emulator.ConcurrencyRejections);
        Assert.Equal(4, bed.Emulator.MaxObservedConcurrency);
        Assert.Equal(4, bed.Factory.Metrics.PeakInFlightPerMailbox);
        Assert.Equal(0, bed.Factory.Metrics.RetryAfterWaits);
        AssertStateOfEveryMessage(bed, contents, results.SelectMany(r => r).ToList());
    }

    [Fact]
    public async Task BatchStepsAndUploadsAreChargedToTheOneBudgetOfTheMailbox()
    {
        // The client's windows are twice as long as the server's, so that however late a request reaches the server on a
        // loaded machine, the two never disagree; what the test proves is that nothing is left uncharged.
        var options = GraphTestBed.FastOptions with
        {
            RequestBudget = 20, RequestBudgetWindow = TimeSpan.FromSeconds(2),
            UploadBudgetBytes = 4 * 1024 * 1024, UploadBudgetWindow = TimeSpan.FromSeconds(2),
        };
        await using var bed = await GraphTestBed.StartAsync(options);
        bed.Emulator.AddUser(Mailbox);
        bed.Emulator.RequestLimit = 20;
        bed.Emulator.RequestWindow = TimeSpan.FromSeconds(1);
        bed.Emulator.UploadLimit = 4 * 1024 * 1024;
        bed.Emulator.UploadWindow = TimeSpan.FromSeconds(1);
        await using var target = await bed.OpenAsync(Mailbox);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        var contents = Messages(30);
        // Two imports of 1.2 MB (base64) on the Graph pipeline and 5 MB of upload-session PUTs on the upload pipeline.
        var large = new[] { TestMail.Build("large 1", bodyBytes: 900_000), TestMail.Build("large 2", bodyBytes: 900_000), TestMail.Build("attachment", attachmentBytes: 5 * 1024 * 1024) };

        var results = await target.AppendAsync(folder,
            [.. Contents(contents), .. large.Select((bytes, i) => TestMail.Content(bytes, "large" + i, MailFlags.Seen))], default);

        Assert.Equal(0, bed.Emulator.WindowRejections);
        Assert.Equal(0, bed.Factory.Metrics.RetryAfterWaits);
        Assert.True(bed.Factory.Metrics.BudgetWaitTime > TimeSpan.Zero, bed.Factory.Metrics.ToString());
        Assert.True(bed.Factory.Metrics.ChargedRequests > bed.Factory.Metrics.Requests, bed.Factory.Metrics.ToString());
        AssertStateOfEveryMessage(bed, contents, results.Take(contents.Count).ToList());
        var stored = bed.Emulator.MessagesIn(Mailbox, "inbox");
        Assert.Equal(5 * 1024 * 1024, Assert.Single(stored.Single(m => m.Id == results[^1].TargetId).Attachments).Content.Length);
        Assert.All(results.Skip(contents.Count), r => Assert.True(stored.Single(m => m.Id == r.TargetId).IsRead));
    }

    private static List<MessageContent> Contents(IEnumerable<(byte[] Bytes, SourceMessage Summary)> messages) =>
        messages.Select(c => TestMail.Content(c.Bytes, c.Summary.SourceId, c.Summary.Flags)).ToList();

    /// <summary>Read, flagged, both or neither; every fifth without a Message-ID (its dedup key travels in the PATCH).</summary>
    internal static List<(byte[] Bytes, SourceMessage Summary)> Messages(int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var bytes = TestMail.Build($"message {i}", messageId: i % 5 == 4 ? null : "auto", date: new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i));
            var flags = (i % 2 == 1 ? MailFlags.Seen : MailFlags.None) | (i % 4 >= 2 ? MailFlags.Flagged : MailFlags.None);
            return (bytes, TestMail.Summary(bytes, "s" + i, flags));
        }).ToList();

    internal static void AssertStateOfEveryMessage(GraphTestBed bed, IReadOnlyList<(byte[] Bytes, SourceMessage Summary)> contents, IReadOnlyList<AppendResult> results)
    {
        var stored = bed.Emulator.MessagesIn(Mailbox, "inbox").ToDictionary(m => m.Id);
        for (var i = 0; i < contents.Count; i++)
        {
            var summary = contents[i].Summary;
            var message = stored[results[i].TargetId!];
            Assert.True(summary.Flags.HasFlag(MailFlags.Seen) == message.IsRead, $"{summary.SourceId}: isRead {message.IsRead}");
            Assert.True(summary.Flags.HasFlag(MailFlags.Flagged) == (message.FlagStatus == "flagged"), $"{summary.SourceId}: flag {message.FlagStatus}");
            if (summary.MessageId is null)
            {
                Assert.Equal(summary.DedupKey, message.ExtendedProperties[DedupProperty]);
            }
        }
    }
}
