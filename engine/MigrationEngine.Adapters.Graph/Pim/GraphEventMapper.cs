using IcalCalendar = Ical.Net.Calendar;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Microsoft.Graph.Models;
using NodaTime;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>A series occurrence to cancel (<see cref="Changes"/> null: EXDATE, a cancelled override) or to modify.</summary>
internal sealed record OccurrenceEdit(Instant OriginalStart, bool AllDay, DateOnly OriginalDate, Event? Changes);

/// <summary>An ATTACH with inline content, posted as a fileAttachment after the event exists.</summary>
internal sealed record EventFile(string Name, string ContentType, byte[] Content);

/// <summary>The event Graph creates, the occurrences to change afterwards, its files, and what Graph cannot hold.</summary>
internal sealed record EventDraft(Event Event, IReadOnlyList<OccurrenceEdit> Occurrences, IReadOnlyList<EventFile> Files,
    IReadOnlyList<string> Dropped, string? AttendeeRecord);

/// <summary>
/// One iCalendar object (a UID: the series master and its RECURRENCE-ID overrides) to Graph's event
/// (https://learn.microsoft.com/graph/api/resources/event). Attendees and the organiser are never written as the event's
/// attendees: creating or updating an event with attendees on the organiser's calendar sends invitations ("When an event
/// is sent, the server sends invitations to all the attendees", https://learn.microsoft.com/graph/api/user-post-events;
/// updates send meeting updates, https://learn.microsoft.com/graph/api/event-update). They are kept in the body and in an
/// extended property instead, and named in <see cref="EventDraft.Dropped"/> (docs/graph.md, "Contacts and calendars").
/// </summary>
internal static class GraphEventMapper
{
    public static EventDraft? Map(string text, string mailbox, out string? problem)
    {
        problem = null;
        IcalCalendar? calendar;
        try
        {
            calendar = IcalCalendar.Load(text);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            problem = "the iCalendar text cannot be read: " + ex.Message;
            return null;
        }

        var events = calendar?.Events.ToList() ?? [];
        if (events.Count == 0)
        {
            problem = "no VEVENT (a Graph calendar holds events only)";
            return null;
        }

        var dropped = new List<string>();
        var defaultZone = GraphPimTimeZones.ToGraph(calendar!.Properties["X-WR-TIMEZONE"]?.Value?.ToString()) ?? "UTC";
        var times = new GraphEventTimes(defaultZone);
        var master = events.FirstOrDefault(e => e.RecurrenceIdentifier is null) ?? events[0];
        var overrides = events.Where(e => !ReferenceEquals(e, master) && e.RecurrenceIdentifier is not null).ToList();
        var graphEvent = GraphEventFields.Map(master, times, dropped, out problem);
        if (graphEvent is null)
            return null;

        var occurrences = new List<OccurrenceEdit>();
        if (master.RecurrenceIdentifier is not null)
        {
            // An occurrence that came without its series: a single event of its own; other such occurrences cannot be tied to it.
            dropped.AddRange(overrides.Select(o => $"RECURRENCE-ID {OriginalStart(o)} (an occurrence without its series)"));
        }
        else if (!MapSeries(master, overrides, graphEvent, times, occurrences, dropped, out problem))
        {
            return null;
        }

        var (files, fileDrops) = GraphEventFields.Files(master);
        dropped.AddRange(fileDrops);
        var record = GraphEventAttendees.Record(events, mailbox, graphEvent, dropped);
        return new EventDraft(graphEvent, occurrences, files, dropped, record);
    }

    private static bool MapSeries(CalendarEvent master, List<CalendarEvent> overrides, Event graphEvent, GraphEventTimes times,
        List<OccurrenceEdit> occurrences, List<string> dropped, out string? problem)
    {
        problem = null;
        if (Count(master, "RRULE") > 1)
            problem = "several RRULEs (Graph has one pattern per series)";
        else if (master.RecurrenceDates.GetAllDates().Any())
            problem = "RDATE (extra occurrences outside the pattern cannot be expressed in Graph)";
        else if (Count(master, "EXRULE") > 0)
            problem = "EXRULE (Graph cancels occurrences one by one only)";
        if (problem is not null)
            return false;

        if (master.RecurrenceRule is null)
        {
            if (overrides.Count > 0)
                dropped.AddRange(overrides.Select(o => $"RECURRENCE-ID {OriginalStart(o)} (the event does not repeat)"));
            return true;
        }

        var zone = graphEvent.Start!.TimeZone!;
        var start = master.DtStart!;
        graphEvent.Recurrence = GraphRecurrence.Map(master.RecurrenceRule, start.Date, start.DayOfWeek, zone,
            until => times.UntilDate(until, zone, start), out problem);
        if (graphEvent.Recurrence is null)
        {
            problem = "recurrence Graph cannot express: " + problem;
            return false;
        }

        foreach (var excluded in master.ExceptionDates.GetAllDates())
        {
            if (Occurrence(excluded, times, null) is { } cancel)
                occurrences.Add(cancel);
            else
                dropped.Add($"EXDATE {excluded} (unknown time zone)");
        }

        foreach (var changed in overrides)
        {
            Event? changes = null;
            if (!string.Equals(changed.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase))
            {
                changes = GraphEventFields.Map(changed, times, dropped, out var overrideProblem);
                if (changes is null)
                {
                    dropped.Add($"RECURRENCE-ID {OriginalStart(changed)}: {overrideProblem}");
                    continue;
                }
            }

            if (Occurrence(OriginalStart(changed)!, times, changes) is { } edit)
                occurrences.Add(edit);
            else
                dropped.Add($"RECURRENCE-ID {OriginalStart(changed)} (unknown time zone)");
        }

        return true;
    }

    public static CalDateTime? OriginalStart(CalendarEvent component) => component.RecurrenceIdentifier?.StartTime;

    private static int Count(CalendarEvent component, string name) =>
        component.Properties.Count(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static OccurrenceEdit? Occurrence(CalDateTime original, GraphEventTimes times, Event? changes)
    {
        var instant = times.ToInstant(original);
        return instant is null ? null : new OccurrenceEdit(instant.Value, !original.HasTime, original.Date, changes);
    }

    /// <summary>
    /// Adds what the migration kept as text (attendees, organiser) at the end of the body: after a blank line in a text
    /// body, as a paragraph before &lt;/body&gt; in an HTML one.
    /// </summary>
    public static void AppendNote(ItemBody body, string note)
    {
        ArgumentNullException.ThrowIfNull(body);
        var content = body.Content ?? "";
        if (body.ContentType != BodyType.Html)
        {
            body.Content = content.Length == 0 ? note : content + "\n\n" + note;
            return;
        }

        var paragraph = "<p>" + string.Join("<br>", note.Split('\n').Select(System.Net.WebUtility.HtmlEncode)) + "</p>";
        var end = content.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        body.Content = end < 0 ? content + paragraph : content[..end] + paragraph + content[end..];
    }
}
