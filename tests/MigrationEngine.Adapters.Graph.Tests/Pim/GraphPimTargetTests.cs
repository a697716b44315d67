using System.Text;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>Contacts and calendars through the real SDK against the emulator.</summary>
[Trait("Category", "Server")]
public sealed class GraphPimTargetTests
{
    private const string Mailbox = "ann@contoso.example";

    [Fact]
    public async Task ContactsArriveWithPhotoAndARunWithoutStateFindsAndUpdatesThem()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        var photo = Enumerable.Range(0, 2000).Select(i => (byte)i).ToArray();
        var text = PimSamples.AppleContact.Replace("UID:", $"PHOTO;ENCODING=b;TYPE=JPEG:{Convert.ToBase64String(photo)}\r\nUID:", StringComparison.Ordinal);

        await using (var target = await OpenAsync(bed))
        {
            var folder = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Contacts, "Friends/Close"), default);
            Assert.Equal(folder, await target.EnsureCollectionAsync(new PimCollection(ItemKind.Contacts, "Friends/Close"), default));
            var result = await target.WriteAsync(folder, Item(ItemKind.Contacts, "apple-1", text), null, default);
            Assert.False(result.Rejected, result.RejectionReason);
            Assert.Equal(2, result.Dropped.Count);
        }

        var stored = bed.Emulator.WithPim(Mailbox, store => store.Contacts.Values.Single());
        Assert.Equal(photo, stored.Photo);
        Assert.Equal("image/jpeg", stored.PhotoType);
        Assert.Equal("Appleseed", stored.Properties["surname"]!.GetValue<string>());
        Assert.Equal("Close", bed.Emulator.WithPim(Mailbox, store => store.ContactFolders[stored.FolderId].DisplayName));

        // A new target (no state) finds the contact by its stamp; a changed source item updates it in place.
        await using var again = await OpenAsync(bed);
        var sameFolder = await again.EnsureCollectionAsync(new PimCollection(ItemKind.Contacts, "Friends/Close"), default);
        var found = Assert.Single(await again.ListItemsAsync(sameFolder, default));
        Assert.Equal(("apple-1", stored.Id, Hash(text)), (found.Key, found.TargetId, found.ContentHash));
        var changed = text.Replace("TITLE:Engineer", "TITLE:Architect", StringComparison.Ordinal);
        var update = await again.WriteAsync(sameFolder, Item(ItemKind.Contacts, "apple-1", changed), found.TargetId, default);
        Assert.Equal(stored.Id, update.TargetId);
        var after = bed.Emulator.WithPim(Mailbox, store => store.Contacts.Values.ToList());
        Assert.Equal("Architect", Assert.Single(after).Properties["jobTitle"]!.GetValue<string>());
        Assert.Equal(Hash(changed), Assert.Single(await again.ListItemsAsync(sameFolder, default)).ContentHash);
    }

    [Fact]
    public async Task ListingFollowsNextLinksPastOneHundredContacts()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await OpenAsync(bed);
        var folder = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Contacts, PimCollection.DefaultPath), default);
        for (var i = 0; i < 105; i++)
        {
            var card = PimSamples.Crlf($"BEGIN:VCARD\nVERSION:3.0\nFN:Person {i}\nEMAIL:p{i}@example.org\nEND:VCARD\n");
            Assert.False((await target.WriteAsync(folder, Item(ItemKind.Contacts, $"p{i}", card), null, default)).Rejected);
        }

        var listed = await target.ListItemsAsync(folder, default);

        Assert.Equal(105, listed.Select(l => l.Key).Distinct().Count());
        var listings = bed.Emulator.ClientRequestLog.Where(r => r.StartsWith("GET /v1.0/users/", StringComparison.Ordinal) && r.Contains("/contacts?", StringComparison.Ordinal)).ToList();
        Assert.True(listings.Count == 2, string.Join("\n", listings));
        Assert.Contains("skip=100", listings[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecurringMeetingArrivesWithExceptionsAndNoMessageIsSentOnCreateOrUpdate()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await OpenAsync(bed);
        var calendar = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Calendar, "Projects"), default);

        var created = await target.WriteAsync(calendar, Item(ItemKind.Calendar, "weekly-1@example.org", PimSamples.WeeklyMeeting), null, default);

        Assert.False(created.Rejected, created.RejectionReason);
        Assert.Contains(created.Dropped, d => d.StartsWith("ATTENDEE x2", StringComparison.Ordinal));
        var series = bed.Emulator.WithPim(Mailbox, store => store.Events.Values.Single());
        Assert.Empty(series.Attendees);
        Assert.Equal("weekly", series.Recurrence!["pattern"]!["type"]!.GetValue<string>());
        Assert.Contains("cy@fabrikam.example", series.ExtendedProperties[GraphExtendedProperties.Attendees], StringComparison.Ordinal);
        var exceptions = bed.Emulator.WithPim(Mailbox, store => store.Events.Values.Single().Exceptions.ToList());
        Assert.Equal(2, exceptions.Count);
        Assert.Null(exceptions.Single(e => e.Key == new DateTimeOffset(2024, 1, 10, 8, 30, 0, TimeSpan.Zero)).Value);
        Assert.Equal("Team sync (moved)", exceptions.Single(e => e.Key == new DateTimeOffset(2024, 1, 15, 8, 30, 0, TimeSpan.Zero)).Value!["subject"]!.GetValue<string>());

        // A later pass with a changed source item updates the same event (a run without state finds it first).
        await using var again = await OpenAsync(bed);
        var sameCalendar = await again.EnsureCollectionAsync(new PimCollection(ItemKind.Calendar, "Projects"), default);
        var found = Assert.Single(await again.ListItemsAsync(sameCalendar, default));
        var changed = PimSamples.WeeklyMeeting.Replace("LOCATION:Room 4", "LOCATION:Room 5", StringComparison.Ordinal);
        var updated = await again.WriteAsync(sameCalendar, Item(ItemKind.Calendar, "weekly-1@example.org", changed), found.TargetId, default);

        Assert.Equal(found.TargetId, updated.TargetId);
        var events = bed.Emulator.WithPim(Mailbox, store => store.Events.Values.ToList());
        Assert.Equal("Room 5", Assert.Single(events).Properties["location"]!["displayName"]!.GetValue<string>());
        Assert.Equal(2, events[0].Exceptions.Count);
        Assert.Empty(bed.Emulator.SentMessages);
    }

    [Fact]
    public async Task AllDayEventAndBadItemsInTheDefaultCalendar()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await OpenAsync(bed);
        var calendar = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Calendar, PimCollection.DefaultPath), default);

        var allDay = await target.WriteAsync(calendar, Item(ItemKind.Calendar, "holiday-1@example.org", PimSamples.AllDay), null, default);
        var hourly = await target.WriteAsync(calendar, Item(ItemKind.Calendar, "hourly", PimSamples.Single("RRULE:FREQ=DAILY;BYHOUR=9,17\n")), null, default);
        var unknownZone = await target.WriteAsync(calendar, Item(ItemKind.Calendar, "mars", PimSamples.Single(tzid: "Mars/Olympus_Mons")), null, default);

        Assert.False(allDay.Rejected, allDay.RejectionReason);
        var stored = bed.Emulator.WithPim(Mailbox, store => store.Events.Values.Single());
        Assert.True(stored.IsAllDay);
        Assert.Equal("2024-05-01T00:00:00", stored.Properties["start"]!["dateTime"]!.GetValue<string>());
        Assert.StartsWith("MIG1641: event hourly.txt cannot be written to mailbox ann@contoso.example: recurrence Graph cannot express", hourly.RejectionReason, StringComparison.Ordinal);
        Assert.Contains("unknown time zone 'Mars/Olympus_Mons'", unknownZone.RejectionReason, StringComparison.Ordinal);
        Assert.Single(await target.ListItemsAsync(calendar, default));
    }

    [Fact]
    public async Task TheEmulatorRecordsInvitationsAndRefusesAllDayEventsThatDoNotStartAtMidnight()
    {
        // The record of sent messages can fail: an event posted with attendees, as a careless client would, is recorded.
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        using var http = await bed.AuthorizedClientAsync();
        var meeting = """{"subject":"Hi","start":{"dateTime":"2024-01-01T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-01-01T10:00:00","timeZone":"UTC"},"attendees":[{"emailAddress":{"address":"bob@fabrikam.example"},"type":"required"}]}""";
        var badAllDay = """{"subject":"Day","isAllDay":true,"start":{"dateTime":"2024-01-01T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-01-02T00:00:00","timeZone":"UTC"}}""";

        var sent = await http.PostAsync($"{bed.Emulator.BaseUrl}/users/{Mailbox}/calendar/events", new StringContent(meeting, Encoding.UTF8, "application/json"));
        var refused = await http.PostAsync($"{bed.Emulator.BaseUrl}/users/{Mailbox}/calendar/events", new StringContent(badAllDay, Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Created, sent.StatusCode);
        var message = Assert.Single(bed.Emulator.SentMessages);
        Assert.Equal(("meetingRequest", "bob@fabrikam.example"), (message.Kind, message.To));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("midnight", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<IPimTarget> OpenAsync(GraphTestBed bed) => PimItems.OpenAsync(bed, Mailbox);

    private static PimItem Item(ItemKind kind, string key, string text) => PimItems.Item(kind, key, text);

    private static string Hash(string text) => PimItems.Hash(text);
}
