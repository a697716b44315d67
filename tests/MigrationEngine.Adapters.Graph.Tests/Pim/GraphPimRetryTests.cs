using System.Text;
using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>Throttling, lost answers and attachments on the contacts and calendar paths.</summary>
[Trait("Category", "Server")]
public sealed class GraphPimRetryTests
{
    private const string Mailbox = "dana@contoso.example";

    [Fact]
    public async Task ThrottledContactCreateIsRetriedAndWrittenOnce()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        bed.Emulator.AddFault(FaultKind.Throttle429, count: 1, pathContains: "/contacts", method: "POST");
        await using var target = await OpenAsync(bed);
        var folder = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Contacts, PimCollection.DefaultPath), default);

        var result = await target.WriteAsync(folder, Item(ItemKind.Contacts, "t1", PimSamples.Crlf("BEGIN:VCARD\nVERSION:3.0\nFN:T\nEND:VCARD\n")), null, default);

        Assert.False(result.Rejected, result.RejectionReason);
        Assert.Equal(1, bed.Emulator.FaultsInjected);
        Assert.Equal(1, bed.Emulator.WithPim(Mailbox, store => store.Contacts.Count));
    }

    [Fact]
    public async Task EventCreateWhoseAnswerIsLostIsNotDuplicatedByTheRetry()
    {
        // The POST is processed, then the connection drops: the retried POST carries the same transactionId and Graph
        // answers with the event it already has (event resource, transactionId).
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        bed.Emulator.AddFault(FaultKind.DropAfterProcessing, count: 1, pathContains: "/calendar/events", method: "POST");
        await using var target = await OpenAsync(bed);
        var calendar = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Calendar, PimCollection.DefaultPath), default);

        var result = await target.WriteAsync(calendar, Item(ItemKind.Calendar, "single", PimSamples.Single()), null, default);

        Assert.False(result.Rejected, result.RejectionReason);
        Assert.Equal(1, bed.Emulator.FaultsInjected);
        Assert.Equal(result.TargetId, bed.Emulator.WithPim(Mailbox, store => store.Events.Values.Single().Id));
    }

    [Fact]
    public async Task InlineAttachmentsArriveOnceAcrossPasses()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        var agenda = Convert.ToBase64String(Encoding.UTF8.GetBytes("1. numbers\n2. plans\n"));
        var text = PimSamples.Single().Replace("SUMMARY:Dentist", $"SUMMARY:Dentist\r\nATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=text/plain;X-FILENAME=agenda.txt:{agenda}\r\nATTACH:https://example.org/map", StringComparison.Ordinal);
        await using var target = await OpenAsync(bed);
        var calendar = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Calendar, PimCollection.DefaultPath), default);

        var first = await target.WriteAsync(calendar, Item(ItemKind.Calendar, "with-files", text), null, default);
        var changed = text.Replace("SUMMARY:Dentist", "SUMMARY:Dentist (moved)", StringComparison.Ordinal);
        var second = await target.WriteAsync(calendar, Item(ItemKind.Calendar, "with-files", changed), first.TargetId, default);

        Assert.Contains(first.Dropped, d => d.StartsWith("ATTACH https://example.org/map", StringComparison.Ordinal));
        var stored = bed.Emulator.WithPim(Mailbox, store => store.Events.Values.Single());
        var file = Assert.Single(stored.Attachments);
        Assert.Equal(("agenda.txt", "text/plain", "1. numbers\n2. plans\n"), (file.Name, file.ContentType, Encoding.UTF8.GetString(file.Content)));
        Assert.Equal("Dentist (moved)", stored.Subject);
        Assert.Equal(first.TargetId, second.TargetId);
    }

    private static Task<IPimTarget> OpenAsync(GraphTestBed bed) => PimItems.OpenAsync(bed, Mailbox);

    private static PimItem Item(ItemKind kind, string key, string text) => PimItems.Item(kind, key, text);
}
