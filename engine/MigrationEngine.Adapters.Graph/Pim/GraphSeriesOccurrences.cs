using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Microsoft.Graph.Models;
using NodaTime;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>The start instants of a Graph series' pattern (before exceptions), expanded by Ical.Net from its RRULE.</summary>
internal static class GraphSeriesOccurrences
{
    /// <summary>At most this many occurrences are read back per series.</summary>
    public const int MaxOccurrences = 2000;

    public static IReadOnlyList<Instant> Expand(Event series, Instant start, int openYears)
    {
        ArgumentNullException.ThrowIfNull(series);
        var zoneName = series.OriginalStartTimeZone ?? "UTC";
        var iana = GraphPimTimeZones.ToIana(zoneName) ?? "UTC";
        var zone = iana == "UTC" ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb.GetZoneOrNull(iana) ?? DateTimeZone.Utc;
        var allDay = series.IsAllDay == true;
        var local = start.InZone(zone).LocalDateTime;
        var rule = GraphRecurrenceText.Rule(series.Recurrence!, local, zone, allDay);
        if (rule is null)
            return [];
        var dtStart = allDay
            ? new CalDateTime(local.Year, local.Month, local.Day)
            : zone == DateTimeZone.Utc ? new CalDateTime(local.ToDateTimeUnspecified(), "UTC") : new CalDateTime(local.ToDateTimeUnspecified(), zone.Id);
        var component = new CalendarEvent { DtStart = dtStart, Duration = allDay ? Ical.Net.DataTypes.Duration.FromDays(1) : Ical.Net.DataTypes.Duration.FromHours(1) };
        component.RecurrenceRule = new RecurrenceRule(rule);
        var calendar = new Ical.Net.Calendar();
        calendar.Events.Add(component);
        var horizon = start + NodaTime.Duration.FromDays(366 * openYears);
        var result = new List<Instant>();
        foreach (var occurrence in component.GetOccurrences())
        {
            var begin = occurrence.Period.StartTime;
            var instant = begin.HasTime
                ? Instant.FromDateTimeUtc(DateTime.SpecifyKind(begin.AsUtc, DateTimeKind.Utc))
                : new LocalDate(begin.Date.Year, begin.Date.Month, begin.Date.Day).AtMidnight().InZoneLeniently(zone).ToInstant();
            if (instant > horizon || result.Count >= MaxOccurrences)
                break;
            result.Add(instant);
        }

        return result;
    }
}
