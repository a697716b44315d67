using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Microsoft.Graph.Models;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>The fields of one VEVENT (a master or an override) as Graph event properties, without attendees.</summary>
internal static class GraphEventFields
{
    /// <summary>
    /// Graph attaches files up to 150 MB to an event: under 3 MB in one POST (event-post-attachments), from 3 MB through an
    /// upload session (https://learn.microsoft.com/graph/api/attachment-createuploadsession: "between 3 MB and 150 MB").
    /// </summary>
    public const int MaxFileBytes = 150 * 1024 * 1024;

    public static Event? Map(CalendarEvent source, GraphEventTimes times, List<string> dropped, out string? problem)
    {
        problem = null;
        var start = source.DtStart;
        if (start is null)
        {
            problem = "no DTSTART";
            return null;
        }

        var graphEvent = new Event
        {
            Subject = source.Summary ?? "",
            Body = BodyOf(source),
            // Without a VALARM the copy has no reminder; left unset, Exchange would add its default one.
            IsReminderOn = false,
        };
        if (!start.HasTime)
        {
            // isAllDay: "start and end time must be set to midnight and be in the same time zone" (event resource).
            var endDate = source.DtEnd is { } dtEnd ? dtEnd.Date
                : source.Duration is { } duration ? start.Date.AddDays(Math.Max(1, (int)duration.ToTimeSpanUnspecified().TotalDays))
                : start.Date.AddDays(1);
            if (endDate <= start.Date)
                endDate = start.Date.AddDays(1);
            graphEvent.IsAllDay = true;
            graphEvent.Start = times.Midnight(start.Date);
            graphEvent.End = times.Midnight(endDate);
        }
        else
        {
            var zone = times.ZoneOf(start, out problem);
            if (zone is null)
                return null;
            graphEvent.IsAllDay = false;
            graphEvent.Start = GraphEventTimes.Wall(start.Value, zone);
            if (source.DtEnd is { HasTime: true } end)
            {
                var endZone = times.ZoneOf(end, out problem);
                if (endZone is null)
                    return null;
                graphEvent.End = GraphEventTimes.Wall(end.Value, endZone);
            }
            else
            {
                var length = source.Duration?.ToTimeSpanUnspecified() ?? TimeSpan.Zero;
                graphEvent.End = GraphEventTimes.Wall(start.Value + length, zone);
            }
        }

        if (!string.IsNullOrWhiteSpace(source.Location))
            graphEvent.Location = new Location { DisplayName = source.Location };
        if (source.Categories.Count > 0)
            graphEvent.Categories = [.. source.Categories.Where(c => !string.IsNullOrWhiteSpace(c))];
        Reminder(source, graphEvent, dropped);
        graphEvent.ShowAs = ShowAs(source);
        graphEvent.Sensitivity = source.Class?.ToUpperInvariant() switch
        {
            "PRIVATE" => Sensitivity.Private,
            "CONFIDENTIAL" => Sensitivity.Confidential,
            _ => Sensitivity.Normal,
        };
        graphEvent.Importance = source.Priority switch
        {
            >= 1 and <= 4 => Importance.High,
            >= 6 and <= 9 => Importance.Low,
            _ => Importance.Normal,
        };
        if (source.RecurrenceIdentifier is null && string.Equals(source.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase))
            dropped.Add("STATUS:CANCELLED (Graph creates events, not cancelled ones; the copy is an ordinary event)");
        if (source.GeographicLocation is not null)
            dropped.Add("GEO (Graph's location takes coordinates only with an address it resolves)");
        if (source.Url is not null)
            dropped.Add($"URL {source.Url} (no field in Graph's event)");
        return graphEvent;
    }

    /// <summary>
    /// The body: the HTML alternative when the event has one (X-ALT-DESC;FMTTYPE=text/html, as Outlook, Exchange and
    /// Thunderbird export it), which Graph holds as an HTML body (itemBody contentType html); else DESCRIPTION as text.
    /// </summary>
    private static ItemBody BodyOf(CalendarEvent source)
    {
        var html = source.Properties.FirstOrDefault(p => string.Equals(p.Name, "X-ALT-DESC", StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Parameters.Get("FMTTYPE"), "text/html", StringComparison.OrdinalIgnoreCase))?.Value?.ToString();
        return string.IsNullOrWhiteSpace(html)
            ? new ItemBody { ContentType = BodyType.Text, Content = source.Description ?? "" }
            : new ItemBody { ContentType = BodyType.Html, Content = UnescapeText(html) };
    }

    /// <summary>TEXT escapes (RFC 5545 3.3.11) of a property Ical.Net keeps as it was written.</summary>
    private static string UnescapeText(string value) => System.Text.RegularExpressions.Regex.Replace(value, @"\\([\\;,nN])",
        m => m.Groups[1].Value switch { "n" or "N" => "\n", var other => other });

    /// <summary>
    /// The first display or audio alarm before the start becomes the reminder (isReminderOn, reminderMinutesBeforeStart);
    /// Outlook has one reminder per event, so further alarms, e-mail alarms and alarms after the start are dropped.
    /// </summary>
    private static void Reminder(CalendarEvent source, Event graphEvent, List<string> dropped)
    {
        foreach (var alarm in source.Alarms)
        {
            var minutes = MinutesBefore(source, alarm.Trigger);
            var usable = minutes is >= 0 && !string.Equals(alarm.Action, "EMAIL", StringComparison.OrdinalIgnoreCase);
            if (usable && graphEvent.IsReminderOn != true)
            {
                graphEvent.IsReminderOn = true;
                graphEvent.ReminderMinutesBeforeStart = minutes;
                continue;
            }

            dropped.Add($"VALARM {alarm.Action} {alarm.Trigger} (Outlook keeps one reminder before the start)");
        }
    }

    private static int? MinutesBefore(CalendarEvent source, Trigger? trigger)
    {
        if (trigger is null)
            return null;
        if (trigger.DateTime is { } at && source.DtStart is { } start)
            return (int)Math.Round((start.AsUtc - at.AsUtc).TotalMinutes);
        if (trigger.Duration is not { } offset)
            return null;
        var before = -offset.ToTimeSpanUnspecified().TotalMinutes;
        if (string.Equals(trigger.Related, "END", StringComparison.OrdinalIgnoreCase))
            before -= source.EffectiveDuration.ToTimeSpanUnspecified().TotalMinutes;
        return (int)Math.Round(before);
    }

    private static FreeBusyStatus ShowAs(CalendarEvent source)
    {
        var busy = source.Properties["X-MICROSOFT-CDO-BUSYSTATUS"]?.Value?.ToString()?.ToUpperInvariant();
        return busy switch
        {
            "FREE" => FreeBusyStatus.Free,
            "TENTATIVE" => FreeBusyStatus.Tentative,
            "OOF" => FreeBusyStatus.Oof,
            "WORKINGELSEWHERE" => FreeBusyStatus.WorkingElsewhere,
            "BUSY" => FreeBusyStatus.Busy,
            _ when string.Equals(source.Transparency, "TRANSPARENT", StringComparison.OrdinalIgnoreCase) => FreeBusyStatus.Free,
            _ when string.Equals(source.Status, "TENTATIVE", StringComparison.OrdinalIgnoreCase) => FreeBusyStatus.Tentative,
            _ => FreeBusyStatus.Busy,
        };
    }

    /// <summary>Inline ATTACH values become file attachments; links and files over 150 MB are named as dropped.</summary>
    public static (List<EventFile> Files, List<string> Dropped) Files(CalendarEvent source)
    {
        var files = new List<EventFile>();
        var dropped = new List<string>();
        var index = 0;
        foreach (var attachment in source.Attachments)
        {
            index++;
            if (attachment.Data is not { } data)
            {
                dropped.Add($"ATTACH {attachment.Uri} (a link, not a file)");
                continue;
            }

            var name = attachment.Parameters.Get("X-FILENAME") ?? attachment.Parameters.Get("FILENAME") ?? $"attachment-{index}";
            if (data.Length > MaxFileBytes)
            {
                dropped.Add($"ATTACH {name} ({data.Length} bytes; Graph attaches files up to {MaxFileBytes} bytes)");
                continue;
            }

            files.Add(new EventFile(name, attachment.FormatType ?? "application/octet-stream", data));
        }

        return (files, dropped);
    }
}
