using System.Text.Json.Nodes;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// A field removed at the source is cleared in Graph on the next pass: PATCH keeps what a body leaves out (contact-update,
/// event-update), so the target sends text fields empty, collections as [] and the birthday and recurrence as explicit
/// nulls, which the emulator applies as Graph does. Checked in the emulator's store and by reading the items back.
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphPimUpdateTests
{
    private const string Mailbox = "ann@contoso.example";

    [Fact]
    public async Task ABirthdayANoteAndAPhoneRemovedAtTheSourceAreClearedOnUpdate()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        var before = PimSamples.Crlf("BEGIN:VCARD\nVERSION:3.0\nUID:c-1\nFN:Ada Lovelace\nN:Lovelace;Ada;;;\nBDAY:1815-12-10\nNOTE:Met in London\nTEL;TYPE=WORK:+44 20 7946 0958\nEMAIL:ada@example.org\nEND:VCARD\n");
        var after = PimSamples.Crlf("BEGIN:VCARD\nVERSION:3.0\nUID:c-1\nFN:Ada Lovelace\nN:Lovelace;Ada;;;\nEMAIL:ada@example.org\nEND:VCARD\n");

        await using var target = await PimItems.OpenAsync(bed, Mailbox);
        var folder = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Contacts, PimCollection.DefaultPath), default);
        var created = await target.WriteAsync(folder, PimItems.Item(ItemKind.Contacts, "c-1", before), null, default);
        Assert.Equal("1815-12-10", Stored(bed)["birthday"]!.GetValue<string>()[..10]);
        var updated = await target.WriteAsync(folder, PimItems.Item(ItemKind.Contacts, "c-1", after), created.TargetId, default);

        Assert.Equal(created.TargetId, updated.TargetId);
        var stored = Stored(bed);
        Assert.True(stored.ContainsKey("birthday") && stored["birthday"] is null, stored.ToJsonString());
        Assert.Equal("", stored["personalNotes"]!.GetValue<string>());
        Assert.Empty(stored["businessPhones"]!.AsArray());
        var read = Assert.Single(await ReadAsync(bed, ItemKind.Contacts));
        Assert.DoesNotContain("BDAY", read.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("NOTE", read.Text, StringComparison.Ordinal);
        Assert.Contains("EMAIL;TYPE=INTERNET:ada@example.org", read.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecurrenceAndALocationRemovedAtTheSourceAreClearedAndTheExceptionsGoWithThem()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        var single = PimSamples.WeeklyMeeting
            .Replace("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20240331T225959Z\r\n", "", StringComparison.Ordinal)
            .Replace("EXDATE;TZID=Europe/Berlin:20240110T093000\r\n", "", StringComparison.Ordinal)
            .Replace("LOCATION:Room 4\r\n", "", StringComparison.Ordinal);
        single = single[..single.IndexOf("BEGIN:VEVENT\r\nUID:weekly-1@example.org\r\nRECURRENCE-ID", StringComparison.Ordinal)] + "END:VCALENDAR\r\n";

        await using var target = await PimItems.OpenAsync(bed, Mailbox);
        var calendar = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Calendar, PimCollection.DefaultPath), default);
        var created = await target.WriteAsync(calendar, PimItems.Item(ItemKind.Calendar, "weekly-1@example.org", PimSamples.WeeklyMeeting), null, default);
        Assert.Equal(2, bed.Emulator.WithPim(Mailbox, store => store.Events.Values.Single().Exceptions.Count));
        var updated = await target.WriteAsync(calendar, PimItems.Item(ItemKind.Calendar, "weekly-1@example.org", single), created.TargetId, default);

        Assert.False(updated.Rejected, updated.RejectionReason);
        var stored = bed.Emulator.WithPim(Mailbox, store => store.Events.Values.Single());
        Assert.Null(stored.Recurrence);
        Assert.Empty(stored.Exceptions);
        Assert.Equal("", stored.Properties["location"]!["displayName"]!.GetValue<string>());
        var read = Assert.Single(await ReadAsync(bed, ItemKind.Calendar));
        Assert.DoesNotContain("RRULE", read.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("LOCATION", read.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("RECURRENCE-ID", read.Text, StringComparison.Ordinal);
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20240108T093000", read.Text, StringComparison.Ordinal);
        Assert.Empty(bed.Emulator.SentMessages);
    }

    [Fact]
    public async Task TheEmulatorRefusesANullCollectionAsGraphsODataReaderDoes()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await PimItems.OpenAsync(bed, Mailbox);
        var folder = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Contacts, PimCollection.DefaultPath), default);
        var created = await target.WriteAsync(folder, PimItems.Item(ItemKind.Contacts, "c-2", PimSamples.AppleContact), null, default);
        using var http = await bed.AuthorizedClientAsync();

        var answer = await http.PatchAsync($"{bed.Emulator.BaseUrl}/users/{Mailbox}/contacts/{created.TargetId}",
            new StringContent("""{"categories":null}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("does not allow null values", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, Stored(bed)["categories"]!.AsArray().Count);
    }

    private static JsonObject Stored(GraphTestBed bed) =>
        bed.Emulator.WithPim(Mailbox, store => (JsonObject)store.Contacts.Values.Single().Properties.DeepClone());

    private static async Task<List<PimItem>> ReadAsync(GraphTestBed bed, ItemKind kind)
    {
        await using var reader = await bed.Factory.OpenPimReaderAsync(bed.Context(bed.Endpoint(), Mailbox), default);
        var items = new List<PimItem>();
        foreach (var collection in await reader.ListCollectionsAsync(kind, default))
        {
            await foreach (var item in reader.ReadItemsAsync(collection, default))
                items.Add(item);
        }

        return items;
    }
}
