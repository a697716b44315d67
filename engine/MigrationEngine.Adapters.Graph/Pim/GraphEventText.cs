using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Graph.Models;
using NodaTime;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>What the reader fetched about one event besides the event itself.</summary>
internal sealed record EventExtras(string? Key, string? AttendeeRecord, IReadOnlyList<Event> Exceptions, IReadOnlyList<DateTimeOffset> Cancelled,
    IReadOnlyList<FileAttachment> Files);

/// <summary>
/// Graph's event (https://learn.microsoft.com/graph/api/resources/event) back to one iCalendar object, the inverse of
/// <see cref="GraphEventMapper"/>. Times come in UTC (the reader asks with Prefer: outlook.timezone="UTC") and are written
/// as wall times of the zone the event was created in (originalStartTimeZone, originalEndTimeZone) with its IANA id as TZID,
/// which Ical.Net resolves without a VTIMEZONE; all-day events as dates. The recurrence goes back to an RRULE
/// (<see cref="GraphRecurrenceText"/>), cancelled occurrences to EXDATE, changed ones to RECURRENCE-ID components. The
/// organiser and attendees come back from the engine's own extended property (Graph holds them nowhere else, as the
/// engine never writes attendees) and the note the mapper added to the body is taken off again.
/// </summary>
internal static class GraphEventText
{
    public const string NoteStart = "Meeting details kept by the migration (no invitation was sent):";

    public static string Write(Event graphEvent, EventExtras extras, string mailbox)
    {
        ArgumentNullException.ThrowIfNull(graphEvent);
        ArgumentNullException.ThrowIfNull(extras);
        var text = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//MigrationEngine//Graph read-back//EN\r\n");
        var uid = Uid(extras.Key) ?? graphEvent.ICalUId ?? graphEvent.Id ?? "";
        var zone = ZoneOf(graphEvent);
        text.Append("BEGIN:VEVENT\r\n");
        Line(text, "UID", Escape(uid));
        Times(text, graphEvent, zone);
        if (graphEvent.Recurrence is { } recurrence && GraphRecurrenceText.Rule(recurrence, Start(graphEvent, zone), zone, graphEvent.IsAllDay == true) is { } rule)
        {
            Line(text, "RRULE", rule);
            foreach (var cancelled in extras.Cancelled)
                DateLine(text, "EXDATE", NodaTime.Instant.FromDateTimeOffset(cancelled), zone, graphEvent.IsAllDay == true);
        }

        Fields(text, graphEvent, extras.AttendeeRecord is not null);
        People(text, graphEvent, extras.AttendeeRecord, mailbox);
        foreach (var file in extras.Files.Where(f => f.ContentBytes is not null))
        {
            Line(text, $"ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE={file.ContentType ?? "application/octet-stream"};X-FILENAME={Parameter(file.Name ?? "attachment")}",
                Convert.ToBase64String(file.ContentBytes!));
        }

        text.Append("END:VEVENT\r\n");
        foreach (var exception in extras.Exceptions)
        {
            if (exception.OriginalStart is not { } original)
                continue;
            text.Append("BEGIN:VEVENT\r\n");
            Line(text, "UID", Escape(uid));
            DateLine(text, "RECURRENCE-ID", NodaTime.Instant.FromDateTimeOffset(original), zone, graphEvent.IsAllDay == true);
            Times(text, exception, ZoneOf(exception));
            Fields(text, exception, extras.AttendeeRecord is not null);
            text.Append("END:VEVENT\r\n");
        }

        return text.Append("END:VCALENDAR\r\n").ToString();
    }

    /// <summary>The key without the RECURRENCE-ID an occurrence without its series carries (PimKeys.ForOccurrence), or null for a content key.</summary>
    private static string? Uid(string? key) =>
        key is null || key.StartsWith(Core.Pim.PimKeys.HashPrefix, StringComparison.Ordinal) ? null : key.Split('|')[0];

    /// <summary>The event's zone: its IANA id (Windows names through CLDR), UTC when Graph names none it knows.</summary>
    private static DateTimeZone ZoneOf(Event graphEvent)
    {
        var name = graphEvent.OriginalStartTimeZone ?? graphEvent.Start?.TimeZone ?? "UTC";
        var iana = GraphPimTimeZones.ToIana(name);
        return iana is null || iana == "UTC" ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb.GetZoneOrNull(iana) ?? DateTimeZone.Utc;
    }

    private static void Times(StringBuilder text, Event graphEvent, DateTimeZone zone)
    {
        var allDay = graphEvent.IsAllDay == true;
        if (Instant(graphEvent.Start) is { } start)
            DateLine(text, "DTSTART", start, zone, allDay);
        if (Instant(graphEvent.End) is { } end)
            DateLine(text, "DTEND", end, graphEvent.OriginalEndTimeZone is { } endName && !allDay ? ZoneOf(new Event { OriginalStartTimeZone = endName }) : zone, allDay);
    }

    private static LocalDateTime Start(Event graphEvent, DateTimeZone zone) =>
        Instant(graphEvent.Start)?.InZone(zone).LocalDateTime ?? default;

    /// <summary>A Graph time the reader asked for in UTC (Prefer: outlook.timezone="UTC"); another zone is converted.</summary>
    public static Instant? Instant(DateTimeTimeZone? time)
    {
        if (time?.DateTime is null || !DateTime.TryParse(time.DateTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
            return null;
        return GraphEventTimes.ToInstant(wall, time.TimeZone ?? "UTC");
    }

    private static void DateLine(StringBuilder text, string name, Instant instant, DateTimeZone zone, bool allDay)
    {
        var local = instant.InZone(zone).LocalDateTime;
        if (allDay)
            Line(text, name + ";VALUE=DATE", local.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        else if (zone == DateTimeZone.Utc)
            Line(text, name, local.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        else
            Line(text, $"{name};TZID={zone.Id}", local.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture));
    }

    /// <summary>Subject, body, location, categories, reminder, free/busy, sensitivity and importance.</summary>
    private static void Fields(StringBuilder text, Event graphEvent, bool noteInBody)
    {
        if (!string.IsNullOrEmpty(graphEvent.Subject))
            Line(text, "SUMMARY", Escape(graphEvent.Subject));
        var body = graphEvent.Body?.Content ?? "";
        if (noteInBody && body.IndexOf(NoteStart, StringComparison.Ordinal) is var at and >= 0)
            body = body[..at].TrimEnd('\n', '\r');
        if (body.Length > 0)
            Line(text, "DESCRIPTION", Escape(body));
        if (!string.IsNullOrEmpty(graphEvent.Location?.DisplayName))
            Line(text, "LOCATION", Escape(graphEvent.Location.DisplayName));
        if (graphEvent.Categories is { Count: > 0 } categories)
            Line(text, "CATEGORIES", string.Join(',', categories.Select(Escape)));
        switch (graphEvent.ShowAs)
        {
            case FreeBusyStatus.Free:
                Line(text, "TRANSP", "TRANSPARENT");
                break;
            case FreeBusyStatus.Tentative or FreeBusyStatus.Oof or FreeBusyStatus.WorkingElsewhere:
                Line(text, "X-MICROSOFT-CDO-BUSYSTATUS", graphEvent.ShowAs.ToString()!.ToUpperInvariant());
                break;
        }

        if (graphEvent.Sensitivity is Sensitivity.Private or Sensitivity.Confidential)
            Line(text, "CLASS", graphEvent.Sensitivity.ToString()!.ToUpperInvariant());
        if (graphEvent.Importance is Importance.High or Importance.Low)
            Line(text, "PRIORITY", graphEvent.Importance == Importance.High ? "1" : "9");
        if (graphEvent.IsReminderOn == true)
        {
            text.Append("BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\n");
            Line(text, "TRIGGER", "-PT" + (graphEvent.ReminderMinutesBeforeStart ?? 15).ToString(CultureInfo.InvariantCulture) + "M");
            text.Append("END:VALARM\r\n");
        }
    }

    /// <summary>The organiser and attendees the engine kept in its extended property; without it, Graph's organiser (the mailbox).</summary>
    private static void People(StringBuilder text, Event graphEvent, string? record, string mailbox)
    {
        if (record is null)
        {
            if (graphEvent.Organizer?.EmailAddress?.Address is { Length: > 0 } address && !string.Equals(address, mailbox, StringComparison.OrdinalIgnoreCase))
                Line(text, "ORGANIZER", "mailto:" + address);
            return;
        }

        using var json = JsonDocument.Parse(record);
        if (json.RootElement.TryGetProperty("organizer", out var organizer) && organizer.ValueKind == JsonValueKind.Object)
            Line(text, "ORGANIZER" + Params(organizer, false), "mailto:" + organizer.GetProperty("address").GetString());
        if (json.RootElement.TryGetProperty("attendees", out var attendees))
        {
            foreach (var attendee in attendees.EnumerateArray())
                Line(text, "ATTENDEE" + Params(attendee, true), "mailto:" + attendee.GetProperty("address").GetString());
        }
    }

    private static string Params(JsonElement person, bool attendee)
    {
        var text = new StringBuilder();
        if (person.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } cn)
            text.Append(";CN=").Append(Parameter(cn));
        if (attendee && person.TryGetProperty("role", out var role) && role.GetString() is { Length: > 0 } roleText)
            text.Append(";ROLE=").Append(roleText);
        if (attendee && person.TryGetProperty("response", out var response) && response.GetString() is { Length: > 0 } partstat)
            text.Append(";PARTSTAT=").Append(partstat);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string head, string value) => text.Append(head).Append(':').Append(value).Append("\r\n");

    /// <summary>A parameter value, quoted when it holds a character that would end it (RFC 5545 3.2).</summary>
    private static string Parameter(string value)
    {
        var clean = value.Replace("\"", "'", StringComparison.Ordinal);
        return clean.IndexOfAny([';', ':', ',']) >= 0 ? $"\"{clean}\"" : clean;
    }

    /// <summary>TEXT escaping (RFC 5545 3.3.11).</summary>
    private static string Escape(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal).Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
