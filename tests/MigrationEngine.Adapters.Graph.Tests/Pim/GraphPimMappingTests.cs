using Microsoft.Graph.Models;
using MigrationEngine.Adapters.Graph.Pim;
using MigrationEngine.Core.Pim.VCards;

namespace MigrationEngine.Adapters.Graph.Tests;

[Trait("Category", "Unit")]
public sealed class GraphPimMappingTests
{
    private const string Mailbox = "ann@contoso.example";

    [Fact]
    public void Apple_contact_fills_graph_fields_and_names_what_exchange_cannot_hold()
    {
        var draft = GraphContactMapper.Map(VCardReader.Parse(PimSamples.AppleContact)[0], out var problem);

        Assert.Null(problem);
        var contact = draft!.Contact;
        Assert.Equal(("Johnny", "Q.", "Appleseed", "Dr.", "Jr."), (contact.GivenName, contact.MiddleName, contact.Surname, contact.Title, contact.Generation));
        Assert.Equal("Dr. Johnny Q. Appleseed Jr.", contact.DisplayName);
        Assert.Equal(["johnny@example.com", "j.appleseed@apple.example"], contact.EmailAddresses!.Select(e => e.Address));
        Assert.Equal("+1 (408) 555-0100", contact.MobilePhone);
        Assert.Equal(["+1 (408) 555-0101"], contact.BusinessPhones);
        Assert.Equal(("1 Infinite Loop", "Cupertino", "CA", "95014", "United States"),
            (contact.HomeAddress!.Street, contact.HomeAddress.City, contact.HomeAddress.State, contact.HomeAddress.PostalCode, contact.HomeAddress.CountryOrRegion));
        Assert.Equal(new DateTimeOffset(1976, 4, 1, 0, 0, 0, TimeSpan.Zero), contact.Birthday);
        Assert.Equal("Met at WWDC, 2019", contact.PersonalNotes);
        Assert.Equal(("Apple Inc.", "Engineering", "Engineer"), (contact.CompanyName, contact.Department, contact.JobTitle));
        Assert.Equal(["Friends", "Work"], contact.Categories);
        Assert.Contains(draft.Dropped, d => d.StartsWith("TEL +1 (408) 555-0102 (fax", StringComparison.Ordinal));
        Assert.Contains(draft.Dropped, d => d.StartsWith("X-SOCIALPROFILE", StringComparison.Ordinal));
        Assert.Equal(2, draft.Dropped.Count);
    }

    [Fact]
    public void Fourth_email_and_yearless_birthday_are_dropped_by_name()
    {
        var card = VCardReader.Parse(PimSamples.Crlf("BEGIN:VCARD\nVERSION:4.0\nFN:Many\nEMAIL:a@x.example\nEMAIL:b@x.example\nEMAIL:c@x.example\nEMAIL:d@x.example\nBDAY:--0203\nEND:VCARD\n"))[0];

        var draft = GraphContactMapper.Map(card, out _)!;

        Assert.Equal(3, draft.Contact.EmailAddresses!.Count);
        Assert.Contains("EMAIL d@x.example (Exchange holds three e-mail addresses)", draft.Dropped);
        Assert.Contains(draft.Dropped, d => d.StartsWith("BDAY --0203", StringComparison.Ordinal));
        Assert.Null(draft.Contact.Birthday);
    }

    [Fact]
    public void Photo_over_4_MB_and_broken_cards_are_bad_items()
    {
        var big = new VCard([new VCardProperty("VERSION", "4.0"), VCardProperty.Text("FN", "Big"),
            VCardProperty.Binary("PHOTO", new byte[10 * 1024 * 1024], "image/jpeg", VCardVersion.V4)]);
        var broken = VCardReader.Parse("BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:=ZZ\r\nEND:VCARD\r\n")[0];

        Assert.Null(GraphContactMapper.Map(big, out var photoProblem));
        Assert.Contains("Graph takes photos up to 4194304 bytes", photoProblem, StringComparison.Ordinal);
        Assert.Null(GraphContactMapper.Map(broken, out var qpProblem));
        Assert.Contains("broken quoted-printable", qpProblem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_html_alternative_becomes_the_html_body_and_the_kept_attendees_a_paragraph_of_it()
    {
        var text = PimSamples.Calendar("""
            BEGIN:VEVENT
            UID:html-1@example.org
            DTSTART;TZID=Europe/Berlin:20240205T140000
            DTEND;TZID=Europe/Berlin:20240205T150000
            SUMMARY:Review
            DESCRIPTION:Agenda: budget\, hiring
            X-ALT-DESC;FMTTYPE=text/html:<html><body><p><b>Agenda</b>: budget\, hiring</p></body></html>
            ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@fabrikam.example
            END:VEVENT

            """);

        var draft = GraphEventMapper.Map(text, Mailbox, out var problem);

        Assert.Null(problem);
        var body = draft!.Event.Body!;
        Assert.Equal(BodyType.Html, body.ContentType);
        Assert.StartsWith("<html><body><p><b>Agenda</b>: budget, hiring</p><p>Meeting details kept by the migration (no invitation was sent):<br>", body.Content, StringComparison.Ordinal);
        Assert.EndsWith("Bob &lt;bob@fabrikam.example&gt; (accepted)</p></body></html>", body.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(draft.Dropped, d => d.StartsWith("X-ALT-DESC", StringComparison.Ordinal));
    }

    [Fact]
    public void Weekly_meeting_keeps_times_zone_pattern_reminder_and_attendees_as_text_only()
    {
        var draft = GraphEventMapper.Map(PimSamples.WeeklyMeeting, Mailbox, out var problem);

        Assert.Null(problem);
        var graphEvent = draft!.Event;
        Assert.Equal(("2024-01-08T09:30:00", "W. Europe Standard Time"), (graphEvent.Start!.DateTime, graphEvent.Start.TimeZone));
        Assert.Equal("2024-01-08T10:00:00", graphEvent.End!.DateTime);
        Assert.Null(graphEvent.Attendees);
        Assert.Equal(RecurrencePatternType.Weekly, graphEvent.Recurrence!.Pattern!.Type);
        Assert.Equal([DayOfWeekObject.Monday, DayOfWeekObject.Wednesday], graphEvent.Recurrence.Pattern.DaysOfWeek!.Select(d => d!.Value));
        Assert.Equal(RecurrenceRangeType.EndDate, graphEvent.Recurrence.Range!.Type);
        Assert.Equal("2024-03-31", graphEvent.Recurrence.Range.EndDate.ToString());
        Assert.Equal((true, 10), (graphEvent.IsReminderOn, graphEvent.ReminderMinutesBeforeStart));
        Assert.Equal(["Work", "Team"], graphEvent.Categories);
        Assert.Equal("Room 4", graphEvent.Location!.DisplayName);
        Assert.Contains("Attendee: Bob Guest <bob@fabrikam.example> (req-participant, accepted)", graphEvent.Body!.Content, StringComparison.Ordinal);
        Assert.StartsWith("Weekly status\nBring numbers\n\nMeeting details kept by the migration", graphEvent.Body.Content, StringComparison.Ordinal);
        Assert.Contains("\"address\":\"cy@fabrikam.example\"", draft.AttendeeRecord, StringComparison.Ordinal);
        Assert.Contains(draft.Dropped, d => d.StartsWith("ATTENDEE x2", StringComparison.Ordinal));
        Assert.DoesNotContain(draft.Dropped, d => d.StartsWith("ORGANIZER", StringComparison.Ordinal));

        Assert.Equal(2, draft.Occurrences.Count);
        var cancelled = Assert.Single(draft.Occurrences, o => o.Changes is null);
        Assert.Equal("2024-01-10T08:30:00Z", cancelled.OriginalStart.ToString());
        var moved = Assert.Single(draft.Occurrences, o => o.Changes is not null);
        Assert.Equal("2024-01-15T08:30:00Z", moved.OriginalStart.ToString());
        Assert.Equal(("2024-01-15T11:00:00", "Team sync (moved)"), (moved.Changes!.Start!.DateTime, moved.Changes.Subject));
    }

    [Fact]
    public void All_day_runs_midnight_to_midnight_in_the_calendars_zone()
    {
        var graphEvent = GraphEventMapper.Map(PimSamples.AllDay, Mailbox, out _)!.Event;

        Assert.True(graphEvent.IsAllDay);
        Assert.Equal(("2024-05-01T00:00:00", "W. Europe Standard Time"), (graphEvent.Start!.DateTime, graphEvent.Start.TimeZone));
        Assert.Equal(("2024-05-03T00:00:00", "W. Europe Standard Time"), (graphEvent.End!.DateTime, graphEvent.End.TimeZone));
        Assert.Equal(FreeBusyStatus.Free, graphEvent.ShowAs);
        Assert.False(graphEvent.IsReminderOn);
    }

    [Theory]
    [InlineData("FREQ=MONTHLY;BYDAY=2TU", RecurrencePatternType.RelativeMonthly, WeekIndex.Second)]
    [InlineData("FREQ=MONTHLY;BYDAY=-1FR;COUNT=6", RecurrencePatternType.RelativeMonthly, WeekIndex.Last)]
    [InlineData("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1", RecurrencePatternType.RelativeMonthly, WeekIndex.First)]
    [InlineData("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", RecurrencePatternType.RelativeYearly, WeekIndex.Fourth)]
    public void Relative_rules_map_to_week_indexes(string rule, RecurrencePatternType type, WeekIndex index)
    {
        var recurrence = Recurrence(rule, out var problem);

        Assert.Null(problem);
        Assert.Equal(type, recurrence!.Pattern!.Type);
        Assert.Equal(index, recurrence.Pattern.Index);
    }

    [Theory]
    [InlineData("FREQ=DAILY;INTERVAL=3", RecurrencePatternType.Daily)]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=15", RecurrencePatternType.AbsoluteMonthly)]
    [InlineData("FREQ=YEARLY", RecurrencePatternType.AbsoluteYearly)]
    [InlineData("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", RecurrencePatternType.Weekly)]
    public void Absolute_and_daily_rules_map(string rule, RecurrencePatternType type)
    {
        var recurrence = Recurrence(rule, out var problem);

        Assert.Null(problem);
        Assert.Equal(type, recurrence!.Pattern!.Type);
        if (type == RecurrencePatternType.AbsoluteYearly)
            Assert.Equal((2, 5), (recurrence.Pattern.Month, recurrence.Pattern.DayOfMonth));
    }

    [Theory]
    [InlineData("FREQ=HOURLY", "FREQ=HOURLY")]
    [InlineData("FREQ=DAILY;BYHOUR=9,17", "BYHOUR")]
    [InlineData("FREQ=MONTHLY;BYDAY=MO", "BYDAY=MO")]
    [InlineData("FREQ=MONTHLY;BYDAY=1MO,3WE", "BYDAY=1MO,3WE")]
    [InlineData("FREQ=MONTHLY;BYDAY=5FR", "week 5")]
    [InlineData("FREQ=YEARLY;BYMONTH=1,7", "combination")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=-1", "BYMONTHDAY=-1")]
    [InlineData("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO")]
    public void Rules_graph_cannot_express_are_refused_with_the_reason(string rule, string reason)
    {
        var draft = GraphEventMapper.Map(PimSamples.Single($"RRULE:{rule}\n"), Mailbox, out var problem);

        Assert.Null(draft);
        Assert.StartsWith("recurrence Graph cannot express", problem, StringComparison.Ordinal);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("W. Europe Standard Time", "W. Europe Standard Time")]
    [InlineData("America/New_York", "Eastern Standard Time")]
    [InlineData("/mozilla.org/20050126_1/Europe/Paris", "Romance Standard Time")]
    [InlineData("Etc/UTC", "UTC")]
    public void Time_zones_are_sent_as_windows_names(string tzid, string expected)
    {
        Assert.Equal(expected, GraphPimTimeZones.ToGraph(tzid));
    }

    [Fact]
    public void Unknown_time_zone_is_a_bad_item()
    {
        Assert.Null(GraphEventMapper.Map(PimSamples.Single(tzid: "Mars/Olympus_Mons"), Mailbox, out var problem));
        Assert.Contains("unknown time zone 'Mars/Olympus_Mons'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_text_and_calendars_without_events_are_bad_items()
    {
        Assert.Null(GraphEventMapper.Map("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:t\r\nSUMMARY:todo\r\nEND:VTODO\r\nEND:VCALENDAR\r\n", Mailbox, out var noEvent));
        Assert.Contains("no VEVENT", noEvent, StringComparison.Ordinal);
    }

    private static PatternedRecurrence? Recurrence(string rule, out string? problem)
    {
        var draft = GraphEventMapper.Map(PimSamples.Single($"RRULE:{rule}\n"), Mailbox, out problem);
        return draft?.Event.Recurrence;
    }
}
