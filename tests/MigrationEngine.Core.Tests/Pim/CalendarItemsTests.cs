using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Pim;

namespace MigrationEngine.Core.Tests.Pim;

/// <summary>How an iCalendar file becomes items and keys: one item per UID with the VTIMEZONEs it uses, occurrences alone keyed with RECURRENCE-ID, content hashes without UID.</summary>
[Trait("Category", "Unit")]
public sealed class CalendarItemsTests
{
    private const string Berlin = "BEGIN:VTIMEZONE\r\nTZID:Custom Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
    private const string Unused = "BEGIN:VTIMEZONE\r\nTZID:Unused Zone\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

    private static string Calendar(params string[] components) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n" + string.Concat(components) + "END:VCALENDAR\r\n";

    private static string Event(string? uid, string body, string? recurrenceId = null) =>
        "BEGIN:VEVENT\r\n" + (uid is null ? "" : $"UID:{uid}\r\n") + (recurrenceId is null ? "" : $"RECURRENCE-ID;TZID=Custom Berlin:{recurrenceId}\r\n")
        + "DTSTAMP:20240101T000000Z\r\n" + body + "END:VEVENT\r\n";

    [Fact]
    public void A_series_and_its_exception_are_one_item_with_the_time_zone_they_use()
    {
        var text = Calendar(Berlin, Unused,
            Event("series-1", "DTSTART;TZID=Custom Berlin:20240101T100000\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Weekly\r\n"),
            Event("other", "DTSTART;VALUE=DATE:20240301\r\nSUMMARY:All day\r\n"),
            Event("series-1", "DTSTART;TZID=Custom Berlin:20240108T140000\r\nSUMMARY:Moved\r\n", recurrenceId: "20240108T100000"));

        var items = CalendarItems.Split(text, "cal.ics");

        Assert.Equal(["series-1", "other"], items.Select(i => i.Key));
        Assert.Equal(["cal.ics#1", "cal.ics#2"], items.Select(i => i.SourceId));
        var series = items[0];
        Assert.Null(series.Problem);
        Assert.Equal(2, CountOf(series.Text, "BEGIN:VEVENT"));
        Assert.Contains("TZID:Custom Berlin", series.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unused Zone", series.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("METHOD", series.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Custom Berlin", items[1].Text, StringComparison.Ordinal);
        var parsed = Ical.Net.Calendar.Load(series.Text)!;
        Assert.Equal(2, parsed.Events.Count);
        Assert.NotNull(parsed.Events[0]!.RecurrenceRule);
    }

    [Fact]
    public void An_occurrence_without_its_series_is_keyed_by_uid_and_recurrence_id()
    {
        var text = Calendar(Berlin, Event("series-1", "DTSTART;TZID=Custom Berlin:20240108T140000\r\nSUMMARY:Moved\r\n", recurrenceId: "20240108T100000"));

        var item = Assert.Single(CalendarItems.Split(text, "one.ics"));

        Assert.Equal("series-1|Custom Berlin:20240108T100000", item.Key);
        Assert.Equal("one.ics", item.SourceId);
    }

    [Fact]
    public void Without_uid_the_key_is_a_content_hash_that_ignores_the_export_stamp()
    {
        var first = Assert.Single(CalendarItems.Split(Calendar(Event(null, "DTSTART:20240101T100000Z\r\nSUMMARY:No uid\r\n")), "a.ics"));
        var again = Assert.Single(CalendarItems.Split(Calendar(Event(null, "DTSTART:20240101T100000Z\r\nSUMMARY:No uid\r\n")).Replace("DTSTAMP:20240101T000000Z", "DTSTAMP:20250505T050505Z", StringComparison.Ordinal), "a.ics"));
        var edited = Assert.Single(CalendarItems.Split(Calendar(Event(null, "DTSTART:20240101T100000Z\r\nSUMMARY:Renamed\r\n")), "a.ics"));

        Assert.StartsWith(PimKeys.HashPrefix, first.Key, StringComparison.Ordinal);
        Assert.Equal(first.Key, again.Key);
        Assert.Equal(first.ContentHash, again.ContentHash);
        Assert.NotEqual(first.ContentHash, edited.ContentHash);
    }

    [Fact]
    public void Folded_lines_are_kept_as_written_and_read_unfolded()
    {
        var text = Calendar(Event("fold", "DTSTART:20240101T100000Z\r\nSUMMARY:A long\r\n  summary\r\nDESCRIPTION:x\r\n"));

        var item = Assert.Single(CalendarItems.Split(text, "f.ics"));

        Assert.Contains("SUMMARY:A long\r\n  summary\r\n", item.Text, StringComparison.Ordinal);
        Assert.Equal("A long summary", Ical.Net.Calendar.Load(item.Text)!.Events[0]!.Summary);
    }

    [Theory]
    [InlineData("Mars/Olympus", "unknown time zone 'Mars/Olympus'")]
    [InlineData(null, null)]
    public void An_unknown_time_zone_is_a_problem_a_windows_or_iana_name_is_not(string? zone, string? problem)
    {
        var tzid = zone ?? "W. Europe Standard Time";
        var text = Calendar(Event("tz", $"DTSTART;TZID={tzid}:20240101T100000\r\nSUMMARY:x\r\n"), Event("iana", "DTSTART;TZID=America/New_York:20240101T100000\r\n"));

        var items = CalendarItems.Split(text, "tz.ics");

        if (problem is null)
        {
            Assert.Null(items[0].Problem);
        }
        else
        {
            Assert.Contains(problem, items[0].Problem, StringComparison.Ordinal);
        }

        Assert.Null(items[1].Problem);
    }

    [Fact]
    public void A_recurrence_rule_ical_cannot_read_and_an_oversized_item_are_problems()
    {
        var badRule = Assert.Single(CalendarItems.Split(Calendar(Event("r", "DTSTART:20240101T100000Z\r\nRRULE:FREQ=SOMETIMES\r\n")), "r.ics"));
        var huge = Assert.Single(CalendarItems.Split(Calendar(Event("big", "DTSTART:20240101T100000Z\r\nATTACH;VALUE=BINARY;ENCODING=BASE64:" + new string('A', 49 * 1024 * 1024) + "\r\n")), "b.ics"));
        // An event carries its files: one with a 10 MB file is copied (Graph attaches files up to 150 MB through upload sessions).
        var withFile = Assert.Single(CalendarItems.Split(Calendar(Event("file", "DTSTART:20240101T100000Z\r\nATTACH;VALUE=BINARY;ENCODING=BASE64:" + new string('A', 10 * 1024 * 1024) + "\r\n")), "f.ics"));

        Assert.Contains("not valid iCalendar", badRule.Problem, StringComparison.Ordinal);
        Assert.Contains("49.0 MB, above the 48 MB", huge.Problem, StringComparison.Ordinal);
        Assert.Null(withFile.Problem);
        Assert.Equal(ItemKind.Calendar, huge.Kind);
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
