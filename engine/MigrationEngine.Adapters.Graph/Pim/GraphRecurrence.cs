using Ical.Net;
using Ical.Net.DataTypes;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;
using GraphPattern = Microsoft.Graph.Models.RecurrencePattern;
using GraphRange = Microsoft.Graph.Models.RecurrenceRange;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>
/// An RRULE as Graph's patternedRecurrence (https://learn.microsoft.com/graph/api/resources/patternedrecurrence,
/// recurrencepattern, recurrencerange): daily, weekly (days, first day of week), absolute and relative monthly and
/// yearly (index first..fourth or last), ended by a date, a count or never. A rule Graph cannot express (BYHOUR,
/// BYWEEKNO, several months, "every Monday of the month", the 5th weekday...) is refused with the reason, never
/// approximated: an approximation would move or invent occurrences.
/// </summary>
internal static class GraphRecurrence
{
    public static PatternedRecurrence? Map(RecurrenceRule rule, DateOnly startDate, DayOfWeek startDay, string timeZone, Func<CalDateTime, DateOnly> localDate, out string? problem)
    {
        problem = Unsupported(rule);
        if (problem is not null)
            return null;

        var pattern = new GraphPattern { Interval = Math.Max(1, rule.Interval), FirstDayOfWeek = Day(rule.FirstDayOfWeek) };
        var days = rule.ByDay;
        var offsets = days.Select(d => d.Offset).Distinct().ToList();
        switch (rule.Frequency)
        {
            case FrequencyType.Daily when days.Count == 0 && rule.ByMonthDay.Count == 0 && rule.ByMonth.Count == 0:
                pattern.Type = RecurrencePatternType.Daily;
                break;
            case FrequencyType.Daily when rule.Interval <= 1 && rule.ByMonthDay.Count == 0 && rule.ByMonth.Count == 0 && offsets.All(o => o is null):
                // Every day that is one of these weekdays is the same set of dates as a weekly rule on them.
                pattern.Type = RecurrencePatternType.Weekly;
                pattern.DaysOfWeek = [.. days.Select(d => Day(d.DayOfWeek))];
                break;
            case FrequencyType.Weekly when rule.ByMonthDay.Count == 0 && rule.ByMonth.Count == 0 && offsets.All(o => o is null):
                pattern.Type = RecurrencePatternType.Weekly;
                pattern.DaysOfWeek = days.Count == 0 ? [Day(startDay)] : [.. days.Select(d => Day(d.DayOfWeek))];
                break;
            case FrequencyType.Monthly when rule.ByMonth.Count == 0:
                if (!MonthDays(rule, pattern, startDate, out problem))
                    return null;
                pattern.Type = pattern.Index is null ? RecurrencePatternType.AbsoluteMonthly : RecurrencePatternType.RelativeMonthly;
                break;
            case FrequencyType.Yearly when rule.ByMonth.Count <= 1:
                if (!MonthDays(rule, pattern, startDate, out problem))
                    return null;
                pattern.Month = rule.ByMonth.Count == 1 ? rule.ByMonth[0] : startDate.Month;
                pattern.Type = pattern.Index is null ? RecurrencePatternType.AbsoluteYearly : RecurrencePatternType.RelativeYearly;
                break;
            default:
                problem = $"the recurrence rule FREQ={rule.Frequency.ToString().ToUpperInvariant()};BYDAY={Days(rule)};BYMONTH={string.Join(',', rule.ByMonth)} is a combination Graph's patterns cannot express";
                return null;
        }

        var range = new GraphRange
        {
            StartDate = new Date(startDate.Year, startDate.Month, startDate.Day),
            RecurrenceTimeZone = timeZone,
        };
        if (rule.Count is { } count)
        {
            range.Type = RecurrenceRangeType.Numbered;
            range.NumberOfOccurrences = count;
        }
        else if (rule.Until is { } until)
        {
            var end = localDate(until);
            range.Type = RecurrenceRangeType.EndDate;
            range.EndDate = new Date(end.Year, end.Month, end.Day);
        }
        else
        {
            range.Type = RecurrenceRangeType.NoEnd;
        }

        return new PatternedRecurrence { Pattern = pattern, Range = range };
    }

    private static string? Unsupported(RecurrenceRule rule)
    {
        if (rule.Frequency is FrequencyType.Secondly or FrequencyType.Minutely or FrequencyType.Hourly)
            return $"FREQ={rule.Frequency.ToString().ToUpperInvariant()} (Graph repeats at most daily)";
        if (rule.BySecond.Count > 0 || rule.ByMinute.Count > 0 || rule.ByHour.Count > 0)
            return "BYHOUR/BYMINUTE/BYSECOND (Graph repeats at most daily)";
        if (rule.ByYearDay.Count > 0)
            return "BYYEARDAY";
        if (rule.ByWeekNo.Count > 0)
            return "BYWEEKNO";
        if (rule.BySetPosition.Count > 1)
            return "BYSETPOS with several positions";
        return null;
    }

    /// <summary>Day of month (absolute) or weekday with its index (relative) of a monthly or yearly rule.</summary>
    private static bool MonthDays(RecurrenceRule rule, GraphPattern pattern, DateOnly startDate, out string? problem)
    {
        problem = null;
        if (rule.ByMonthDay.Count > 0)
        {
            if (rule.ByDay.Count > 0 || rule.BySetPosition.Count > 0 || rule.ByMonthDay.Count > 1 || rule.ByMonthDay[0] < 1)
            {
                problem = $"BYMONTHDAY={string.Join(',', rule.ByMonthDay)} with other parts (Graph takes one positive day of the month)";
                return false;
            }

            pattern.DayOfMonth = rule.ByMonthDay[0];
            return true;
        }

        if (rule.ByDay.Count == 0)
        {
            if (rule.BySetPosition.Count > 0)
            {
                problem = "BYSETPOS without BYDAY";
                return false;
            }

            pattern.DayOfMonth = startDate.Day;
            return true;
        }

        var offsets = rule.ByDay.Select(d => d.Offset).Distinct().ToList();
        var position = rule.BySetPosition.Count == 1 ? rule.BySetPosition[0] : (int?)null;
        if (offsets.Count != 1 || (offsets[0] is null) == (position is null))
        {
            problem = $"BYDAY={Days(rule)} (Graph takes weekdays of one week of the month: first to fourth, or last)";
            return false;
        }

        var index = Index(offsets[0] ?? position!.Value);
        if (index is null)
        {
            problem = $"week {offsets[0] ?? position} of the month (Graph takes first to fourth, or last)";
            return false;
        }

        pattern.Index = index;
        pattern.DaysOfWeek = [.. rule.ByDay.Select(d => Day(d.DayOfWeek))];
        return true;
    }

    /// <summary>BYDAY as the rule writes it (1MO, -1FR, WE).</summary>
    private static string Days(RecurrenceRule rule) =>
        string.Join(',', rule.ByDay.Select(d => (d.Offset?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "") + d.DayOfWeek.ToString()[..2].ToUpperInvariant()));

    private static WeekIndex? Index(int value) => value switch
    {
        1 => WeekIndex.First,
        2 => WeekIndex.Second,
        3 => WeekIndex.Third,
        4 => WeekIndex.Fourth,
        -1 => WeekIndex.Last,
        _ => null,
    };

    public static DayOfWeekObject? Day(DayOfWeek day) => day switch
    {
        DayOfWeek.Sunday => DayOfWeekObject.Sunday,
        DayOfWeek.Monday => DayOfWeekObject.Monday,
        DayOfWeek.Tuesday => DayOfWeekObject.Tuesday,
        DayOfWeek.Wednesday => DayOfWeekObject.Wednesday,
        DayOfWeek.Thursday => DayOfWeekObject.Thursday,
        DayOfWeek.Friday => DayOfWeekObject.Friday,
        _ => DayOfWeekObject.Saturday,
    };
}
