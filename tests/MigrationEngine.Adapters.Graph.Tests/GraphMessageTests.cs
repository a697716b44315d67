using System.Diagnostics;
using System.Text.Json.Nodes;
using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

[Trait("Category", "Server")]
public sealed class GraphMessageTests
{
    private const string Mailbox = "carl@contoso.example";

    [Fact]
    public async Task MimeModeKeepsTheExactBytesAndSetsFlagsInOneBatch()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        var bytes = new[] { TestMail.Build("plain"), TestMail.Build("seen and flagged"), TestMail.Build("seen", attachmentBytes: 50_000) };
        var requestsBefore = bed.Factory.Metrics.Requests;

        var results = await target.AppendAsync(folder, [
            TestMail.Content(bytes[0], "1"),
            TestMail.Content(bytes[1], "2", MailFlags.Seen | MailFlags.Flagged),
            TestMail.Content(bytes[2], "3", MailFlags.Seen),
        ], default);

        Assert.All(results, r => Assert.False(r.Rejected));
        var stored = bed.Emulator.MessagesIn(Mailbox, "inbox");
        Assert.Equal(3, stored.Count);
        for (var i = 0; i < 3; i++)
        {
            var message = stored.Single(m => m.Id == results[i].TargetId);
            Assert.Equal(bytes[i], message.Mime);
            Assert.False(message.IsDraft);
        }

        Assert.False(stored.Single(m => m.Id == results[0].TargetId).IsRead);
        Assert.True(stored.Single(m => m.Id == results[1].TargetId).IsRead);
        Assert.Equal("flagged", stored.Single(m => m.Id == results[1].TargetId).FlagStatus);
        Assert.True(stored.Single(m => m.Id == results[2].TargetId).IsRead);
        Assert.Null(stored.Single(m => m.Id == results[2].TargetId).FlagStatus);

        // Three imports and one $batch for the two flag updates.
        Assert.Equal(4, bed.Factory.Metrics.Requests - requestsBefore);
        Assert.Single(bed.Emulator.RequestLog, l => l.Contains("$batch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonModeCreatesNonDraftMessagesWithDatesAndExtendedProperties()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox, importMode: "json");
        var folder = await target.EnsureFolderAsync("Archive/2021", SpecialUse.None, default);
        var sent = new DateTimeOffset(2021, 3, 4, 5, 6, 7, TimeSpan.FromHours(1));
        var received = new DateTimeOffset(2021, 3, 4, 4, 10, 0, TimeSpan.Zero);
        var bytes = TestMail.Build("json import", messageId: "json-1@source.example", attachmentBytes: 20_000, date: sent);

        var results = await target.AppendAsync(folder, [TestMail.Content(bytes, "7", MailFlags.Seen | MailFlags.Flagged, received)], default);

        var message = Assert.Single(bed.Emulator.MessagesIn(Mailbox, folder.NativeId));
        Assert.Equal(results[0].TargetId, message.Id);
        Assert.False(message.IsDraft);
        Assert.True(message.IsRead);
        Assert.Equal("flagged", message.FlagStatus);
        Assert.Equal("<json-1@source.example>", message.InternetMessageId);
        Assert.Equal("json import", message.Subject);
        Assert.Equal("1", message.ExtendedProperties["Integer 0x0E07"]);
        Assert.Equal("2021-03-04T04:10:00Z", message.Properties["receivedDateTime"]!.GetValue<string>());
        Assert.Equal("2021-03-04T04:06:07Z", message.Properties["sentDateTime"]!.GetValue<string>());
        Assert.Equal("alice@source.example", message.Properties["from"]!["emailAddress"]!["address"]!.GetValue<string>());
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal("data.bin", attachment.Name);
        Assert.Equal(20_000, attachment.Content.Length);
        Assert.False(attachment.ViaUploadSession);
        Assert.Contains(((JsonArray)message.Properties["internetMessageHeaders"]!), h => h!["name"]!.GetValue<string>() == "X-Mailer");
    }

    [Fact]
    public async Task LargeAttachmentTravelsThroughAnUploadSessionAndLargeMimeFallsBackToJson()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        var bytes = TestMail.Build("big", attachmentBytes: 5 * 1024 * 1024);

        var results = await target.AppendAsync(folder, [TestMail.Content(bytes, "9", MailFlags.Seen)], default);

        var message = Assert.Single(bed.Emulator.MessagesIn(Mailbox, "inbox"));
        Assert.Equal(results[0].TargetId, message.Id);
        Assert.Null(message.Mime);
        Assert.False(message.IsDraft);
        Assert.True(message.IsRead);
        var attachment = Assert.Single(message.Attachments);
        Assert.True(attachment.ViaUploadSession);
        Assert.Equal(5 * 1024 * 1024, attachment.Content.Length);
        var expected = new byte[5 * 1024 * 1024];
        new Random(5 * 1024 * 1024).NextBytes(expected);
        Assert.Equal(expected, attachment.Content);
        Assert.Equal(1, bed.Factory.Metrics.MimeFallbacks);
        Assert.Contains(bed.Logs.Lines, l => l.Contains("MIG0712", StringComparison.Ordinal));
        Assert.True(bed.Emulator.RequestLog.Count(l => l.StartsWith("PUT /upload/", StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public async Task OversizedMessageIsRejectedWithTheReason()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.Factory.OpenAsync(bed.Context(bed.Endpoint(), Mailbox), default) as IMailTarget;
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        var big = TestMail.Build("too big", attachmentBytes: 40 * 1024 * 1024);

        var results = await target.AppendAsync(folder, [TestMail.Content(big, "1"), TestMail.Content(TestMail.Build("fine"), "2")], default);

        Assert.True(results[0].Rejected);
        Assert.Contains("accepts at most 36700160 bytes", results[0].RejectionReason, StringComparison.Ordinal);
        Assert.False(results[1].Rejected);
        Assert.Single(bed.Emulator.MessagesIn(Mailbox, "inbox"));
        Assert.Equal(36_700_160, target.MaxMessageSize);
    }

    [Fact]
    public async Task ReRunWithoutStateRecognisesEveryImportedMessage()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        var contents = new List<(byte[] Bytes, SourceMessage Summary)>
        {
            (TestMail.Build("with id"), null!),
            (TestMail.Build("no id at all", messageId: null), null!),
            (TestMail.Build("no id at all", messageId: null), null!),
        };
        contents = contents.Select((c, i) => (c.Bytes, TestMail.Summary(c.Bytes, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        Assert.StartsWith("hh:", contents[1].Summary.DedupKey, StringComparison.Ordinal);

        foreach (var mode in new[] { "mime", "json" })
        {
            await using var target = await bed.OpenAsync(Mailbox, mode);
            var folder = await target.EnsureFolderAsync("Imported/" + mode, SpecialUse.None, default);
            await target.AppendAsync(folder, contents.Select(c => new MessageContent(c.Summary, new MemoryStream(c.Bytes), c.Bytes.Length)).ToList(), default);

            // A new run, state lost: the keys listed from the target match the source's keys one for one.
            await using var rerun = await bed.OpenAsync(Mailbox, mode);
            var keys = await rerun.ListMessageKeysAsync(await rerun.EnsureFolderAsync("Imported/" + mode, SpecialUse.None, default), default);
            Assert.Equal(contents.Select(c => c.Summary.DedupKey).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task MessageKeysFollowNextLinkPaging()
    {
        await using var bed = await GraphTestBed.StartAsync();
        var user = bed.Emulator.AddUser(Mailbox);
        var inbox = user.Folders.Values.Single(f => f.WellKnownName == "inbox");
        for (var i = 0; i < 2_345; i++)
        {
            inbox.Messages.Add(new EmulatorMessage
            {
                Id = "seed" + i,
                FolderId = inbox.Id,
                Properties = new JsonObject { ["internetMessageId"] = $"<seed-{i}@example>", ["subject"] = "s", ["isDraft"] = false },
            });
        }

        await using var target = await bed.OpenAsync(Mailbox);
        var keys = await target.ListMessageKeysAsync(await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default), default);

        Assert.Equal(2_345, keys.Count);
        Assert.Contains("id:seed-2344@example", keys);
        Assert.Equal(3, bed.Emulator.RequestLog.Count(l => l.Contains("/messages?", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ThrottlingIsHonouredAndTheWaitIsMeasured()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        bed.Emulator.AddFault(FaultKind.Throttle429, count: 2, pathContains: "importMime", retryAfterSeconds: 1);
        bed.Emulator.AddFault(FaultKind.Unavailable503, count: 1, pathContains: "importMime", retryAfterSeconds: 1);
        var clock = Stopwatch.StartNew();

        var results = await target.AppendAsync(folder, [TestMail.Content(TestMail.Build("patience"), "1")], default);

        Assert.False(results[0].Rejected);
        Assert.Single(bed.Emulator.MessagesIn(Mailbox, "inbox"));
        Assert.Equal(3, bed.Factory.Metrics.RetryAfterWaits);
        Assert.Equal(TimeSpan.FromSeconds(3), bed.Factory.Metrics.ThrottleWaitTime);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.9), $"waited only {clock.Elapsed}");
    }

    [Fact]
    public async Task DroppedConnectionsAreRetriedWithoutDuplicates()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox);
        bed.Emulator.AddFault(FaultKind.DropBeforeProcessing, count: 1, pathContains: "childFolders", method: "GET");
        var folder = await target.EnsureFolderAsync("Dropped", SpecialUse.None, default);

        // The server stores the first message and the answer is lost; the second import is dropped before it is stored.
        bed.Emulator.AddFault(FaultKind.DropAfterProcessing, count: 1, pathContains: "importMime");
        var first = await target.AppendAsync(folder, [TestMail.Content(TestMail.Build("stored, answer lost"), "1")], default);
        bed.Emulator.AddFault(FaultKind.DropBeforeProcessing, count: 1, pathContains: "importMime");
        var second = await target.AppendAsync(folder, [TestMail.Content(TestMail.Build("not stored"), "2")], default);

        var stored = bed.Emulator.MessagesIn(Mailbox, folder.NativeId);
        Assert.Equal(2, stored.Count);
        Assert.Equal(stored.Single(m => m.Subject == "stored, answer lost").Id, first[0].TargetId);
        Assert.Equal(stored.Single(m => m.Subject == "not stored").Id, second[0].TargetId);
        Assert.True(bed.Factory.Metrics.ConnectionRetries >= 1);
    }

    [Fact]
    public async Task JsonMessageWhoseAnswerWasLostIsRecreatedWholeNotDuplicated()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox, importMode: "json");
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        bed.Emulator.AddFault(FaultKind.DropAfterProcessing, count: 1, pathContains: "/messages", method: "POST");

        var results = await target.AppendAsync(folder, [TestMail.Content(TestMail.Build("big json", attachmentBytes: 4 * 1024 * 1024), "1")], default);

        var message = Assert.Single(bed.Emulator.MessagesIn(Mailbox, "inbox"));
        Assert.Equal(results[0].TargetId, message.Id);
        Assert.Equal(4 * 1024 * 1024, Assert.Single(message.Attachments).Content.Length);
    }

    [Fact]
    public async Task NeverMoreThanFourConcurrentRequestsPerMailbox()
    {
        await using var bed = await GraphTestBed.StartAsync(GraphTestBed.FastOptions with { AppendParallelism = 12 });
        bed.Emulator.AddUser(Mailbox);
        bed.Emulator.AddUser("dora@contoso.example");
        bed.Emulator.ProcessingDelay = TimeSpan.FromMilliseconds(30);
        await using var carl = await bed.OpenAsync(Mailbox);
        await using var dora = await bed.OpenAsync("dora@contoso.example");
        var carlInbox = await carl.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        var doraInbox = await dora.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);

        await Task.WhenAll(
            carl.AppendAsync(carlInbox, Enumerable.Range(0, 24).Select(i => TestMail.Content(TestMail.Build("c" + i), "c" + i)).ToList(), default),
            carl.AppendAsync(carlInbox, Enumerable.Range(0, 24).Select(i => TestMail.Content(TestMail.Build("d" + i), "d" + i)).ToList(), default),
            dora.AppendAsync(doraInbox, Enumerable.Range(0, 24).Select(i => TestMail.Content(TestMail.Build("e" + i), "e" + i)).ToList(), default));

        Assert.Equal(4, bed.Emulator.MaxObservedConcurrency);
        Assert.Equal(0, bed.Emulator.ConcurrencyRejections);
        Assert.Equal(48, bed.Emulator.MessagesIn(Mailbox, "inbox").Count);
    }

    [Fact]
    public async Task RequestBudgetMakesTheClientWaitInsteadOfBeingThrottled()
    {
        var options = GraphTestBed.FastOptions with { RequestBudget = 4, RequestBudgetWindow = TimeSpan.FromSeconds(1) };
        await using var bed = await GraphTestBed.StartAsync(options);
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox);
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);

        await target.AppendAsync(folder, Enumerable.Range(0, 6).Select(i => TestMail.Content(TestMail.Build("b" + i), "b" + i)).ToList(), default);

        // 2 requests to open + 6 imports with 4 per second: the client must have waited for the window to slide
        // (how long depends on how slow opening was), and the server never had to throttle it.
        Assert.True(bed.Factory.Metrics.BudgetWaitTime > TimeSpan.Zero, bed.Factory.Metrics.ToString());
        Assert.Equal(0, bed.Factory.Metrics.RetryAfterWaits);
        Assert.Equal(6, bed.Emulator.MessagesIn(Mailbox, "inbox").Count);
    }
}
