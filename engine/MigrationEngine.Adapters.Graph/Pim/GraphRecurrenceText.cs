using System.Globalization;
using Microsoft.Graph.Models;
using NodaTime;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>
/// Graph's patternedRecurrence (https://learn.microsoft.com/graph/api/resources/patternedrecurrence, recurrencepattern,
/// recurrencerange) back to an RRULE, the inverse of <see cref="GraphRecurrence"/>: relative patterns as BYDAY with
/// BYSETPOS (index first..fourth = 1..4, last = -1), an end date as UNTIL at the series' start time on that date (the
/// range's endDate is the last day an occurrence may fall on), a numbered range as COUNT.
/// </summary>
internal static class GraphRecurrenceText
{
    public static string? Rule(PatternedRecurrence recurrence, LocalDateTime start, DateTimeZone zone, bool allDay)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        if (recurrence.Pattern is not { } pattern)
            return null;
        var parts = new List<string>();
        var interval = Math.Max(1, pattern.Interval ?? 1);
        var days = string.Join(',', (pattern.DaysOfWeek ?? []).Select(d => Day(d!.Value)));
        switch (pattern.Type)
        {
            case RecurrencePatternType.Daily:
                parts.Add("FREQ=DAILY");
                break;
            case RecurrencePatternType.Weekly:
                parts.Add("FREQ=WEEKLY");
                if (days.Length > 0)
                    parts.Add("BYDAY=" + days);
                break;
            case RecurrencePatternType.AbsoluteMonthly:
                parts.Add("FREQ=MONTHLY");
                parts.Add("BYMONTHDAY=" + Number(pattern.DayOfMonth ?? start.Day));
                break;
            case RecurrencePatternType.RelativeMonthly:
                parts.Add("FREQ=MONTHLY");
                parts.Add("BYDAY=" + days);
                parts.Add("BYSETPOS=" + Index(pattern.Index));
                break;
            case RecurrencePatternType.AbsoluteYearly:
                parts.Add("FREQ=YEARLY");
                parts.Add("BYMONTH=" + Number(pattern.Month ?? start.Month));
                parts.Add("BYMONTHDAY=" + Number(pattern.DayOfMonth ?? start.Day));
                break;
            case RecurrencePatternType.RelativeYearly:
                parts.Add("FREQ=YEARLY");
                parts.Add("BYMONTH=" + Number(pattern.Month ?? start.Month));
                parts.Add("BYDAY=" + days);
                parts.Add("BYSETPOS=" + Index(pattern.Index));
                break;
            default:
                return null;
        }

        if (interval > 1)
            parts.Add("INTERVAL=" + Number(interval));
        if (pattern.FirstDayOfWeek is { } firstDay && pattern.Type == RecurrencePatternType.Weekly)
            parts.Add("WKST=" + Day(firstDay));
        switch (recurrence.Range?.Type)
        {
            case RecurrenceRangeType.Numbered when recurrence.Range.NumberOfOccurrences is { } count:
                parts.Add("COUNT=" + Number(count));
                break;
            case RecurrenceRangeType.EndDate when recurrence.Range.EndDate is { } end:
                var lastDay = new LocalDate(end.Year, end.Month, end.Day);
                parts.Add("UNTIL=" + (allDay
                    ? lastDay.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
                    : (lastDay + start.TimeOfDay).InZoneLeniently(zone).ToInstant().ToString("uuuuMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)));
                break;
        }

        return string.Join(';', parts);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Index(WeekIndex? index) => index switch
    {
        WeekIndex.Second => "2",
        WeekIndex.Third => "3",
        WeekIndex.Fourth => "4",
        WeekIndex.Last => "-1",
        _ => "1",
    };

    private static string Day(DayOfWeekObject day) => day switch
    {
        DayOfWeekObject.Sunday => "SU",
        DayOfWeekObject.Monday => "MO",
        DayOfWeekObject.Tuesday => "TU",
        DayOfWeekObject.Wednesday => "WE",
        DayOfWeekObject.Thursday => "TH",
        DayOfWeekObject.Friday => "FR",
        _ => "SA",
    };
}
