using System.Globalization;
using Ical.Net.DataTypes;
using Microsoft.Graph.Models;
using NodaTime;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>
/// iCalendar times to Graph's dateTimeTimeZone (https://learn.microsoft.com/graph/api/resources/datetimetimezone): the
/// wall time as written in the source with its zone's Graph name, UTC for "Z" times, the calendar's X-WR-TIMEZONE (or
/// UTC) for floating times and all-day dates. All-day events run from midnight to midnight in one zone, as the event
/// page requires of isAllDay.
/// </summary>
internal sealed class GraphEventTimes(string defaultZone)
{
    private const string GraphFormat = "yyyy-MM-ddTHH:mm:ss";

    /// <summary>The zone for floating times and all-day dates (Graph name).</summary>
    public string DefaultZone { get; } = defaultZone;

    /// <summary>The Graph zone of a date-time, or null with the reason when its TZID is unknown.</summary>
    public string? ZoneOf(CalDateTime value, out string? problem)
    {
        problem = null;
        if (value.IsUtc)
            return "UTC";
        if (value.TzId is null)
            return DefaultZone;
        var zone = GraphPimTimeZones.ToGraph(value.TzId);
        if (zone is null)
            problem = $"unknown time zone '{value.TzId}' (neither a Windows nor an IANA time zone name)";
        return zone;
    }

    public static DateTimeTimeZone Wall(DateTime wall, string zone) => new()
    {
        DateTime = wall.ToString(GraphFormat, CultureInfo.InvariantCulture),
        TimeZone = zone,
    };

    public DateTimeTimeZone Midnight(DateOnly date) => Wall(date.ToDateTime(TimeOnly.MinValue), DefaultZone);

    /// <summary>The instant of a date-time (its zone's rules), all-day dates at midnight of the default zone.</summary>
    public Instant? ToInstant(CalDateTime value)
    {
        if (value.IsUtc)
            return Instant.FromDateTimeUtc(DateTime.SpecifyKind(value.Value, DateTimeKind.Utc));
        var graphZone = value.HasTime ? ZoneOf(value, out _) : DefaultZone;
        return graphZone is null ? null : ToInstant(value.Value, graphZone);
    }

    public static Instant? ToInstant(DateTime wall, string graphZone)
    {
        var iana = GraphPimTimeZones.ToIana(graphZone);
        var zone = iana is null ? null : iana == "UTC" ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb.GetZoneOrNull(iana);
        return zone is null ? null : LocalDateTime.FromDateTime(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified)).InZoneLeniently(zone).ToInstant();
    }

    /// <summary>
    /// The last date a series may have an occurrence on, for recurrenceRange.endDate (inclusive): UNTIL is an instant
    /// (RFC 5545), so on UNTIL's own day in the series' zone an occurrence counts only if it starts by then.
    /// </summary>
    public DateOnly UntilDate(CalDateTime until, string graphZone, CalDateTime seriesStart)
    {
        if (!until.HasTime || !seriesStart.HasTime)
            return until.Date;
        var instant = ToInstant(until);
        var iana = GraphPimTimeZones.ToIana(graphZone);
        var zone = iana is null || iana == "UTC" ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb.GetZoneOrNull(iana) ?? DateTimeZone.Utc;
        if (instant is null)
            return until.Date;
        var local = instant.Value.InZone(zone).LocalDateTime;
        var date = DateOnly.FromDateTime(local.ToDateTimeUnspecified());
        return local.TimeOfDay.ToTimeOnly() < TimeOnly.FromDateTime(seriesStart.Value) ? date.AddDays(-1) : date;
    }
}
