using System.Globalization;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// The emulator's reading of dateTimeTimeZone (https://learn.microsoft.com/graph/api/resources/datetimetimezone: Windows
/// names and the listed IANA names) and of patternedRecurrence (https://learn.microsoft.com/graph/api/resources/patternedrecurrence,
/// recurrencepattern, recurrencerange): validation of the required members per pattern and range type, and the
/// occurrences a series has, written independently of the adapter's mapping.
/// </summary>
internal static class EmulatorRecurrence
{
    private static readonly LocalDateTimePattern WallPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFF");

    public static DateTimeZone? Zone(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return null;
        if (name.Equals("UTC", StringComparison.OrdinalIgnoreCase))
            return DateTimeZone.Utc;
        var source = TzdbDateTimeZoneSource.Default;
        if (source.WindowsMapping.PrimaryMapping.TryGetValue(name, out var iana))
            return DateTimeZoneProviders.Tzdb.GetZoneOrNull(iana);
        return source.CanonicalIdMap.ContainsKey(name) ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(name) : null;
    }

    /// <summary>The wall time and zone of a dateTimeTimeZone, or the reason it is refused.</summary>
    public static (LocalDateTime Wall, DateTimeZone Zone, string Name)? Read(JsonNode? node, out string? problem)
    {
        problem = null;
        var text = node?["dateTime"]?.GetValue<string>();
        var zoneName = node?["timeZone"]?.GetValue<string>();
        var zone = Zone(zoneName);
        if (zone is null)
        {
            problem = $"TimeZoneNotSupportedException: A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zoneName}'.";
            return null;
        }

        var parsed = text is null ? null : WallPattern.Parse(text.TrimEnd('Z'));
        if (parsed is null || !parsed.Success)
        {
            problem = $"Cannot convert the literal '{text}' to the expected type 'Edm.DateTime'.";
            return null;
        }

        return (parsed.Value, zone, zoneName!);
    }

    public static JsonObject Write(Instant instant, DateTimeZone zone, string zoneName) => new()
    {
        ["dateTime"] = instant.InZone(zone).LocalDateTime.ToString("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.0000000'", CultureInfo.InvariantCulture),
        ["timeZone"] = zoneName,
    };

    /// <summary>recurrencePattern and recurrenceRange members required for their type, as their pages list them.</summary>
    public static string? Validate(JsonObject recurrence)
    {
        var pattern = recurrence["pattern"] as JsonObject;
        var range = recurrence["range"] as JsonObject;
        if (pattern is null || range is null)
            return "A recurrence needs a pattern and a range.";
        var type = pattern["type"]?.GetValue<string>();
        var interval = pattern["interval"]?.GetValue<int>() ?? 0;
        if (interval < 1)
            return "The recurrence pattern's interval must be at least 1.";
        var days = pattern["daysOfWeek"] as JsonArray;
        var hasDays = days is { Count: > 0 };
        var dayOfMonth = pattern["dayOfMonth"]?.GetValue<int>() ?? 0;
        var month = pattern["month"]?.GetValue<int>() ?? 0;
        var problem = type switch
        {
            "daily" => null,
            "weekly" or "relativeMonthly" when !hasDays => $"daysOfWeek is required for a {type} pattern.",
            "weekly" or "relativeMonthly" => null,
            "absoluteMonthly" when dayOfMonth is < 1 or > 31 => "dayOfMonth is required for an absoluteMonthly pattern.",
            "absoluteMonthly" => null,
            "absoluteYearly" when dayOfMonth is < 1 or > 31 || month is < 1 or > 12 => "dayOfMonth and month are required for an absoluteYearly pattern.",
            "absoluteYearly" => null,
            "relativeYearly" when !hasDays || month is < 1 or > 12 => "daysOfWeek and month are required for a relativeYearly pattern.",
            "relativeYearly" => null,
            _ => $"'{type}' is not a recurrence pattern type.",
        };
        if (problem is not null)
            return problem;
        var rangeType = range["type"]?.GetValue<string>();
        if (Date(range["startDate"]) is null)
            return "The recurrence range's startDate is required.";
        return rangeType switch
        {
            "noEnd" => null,
            "endDate" when Date(range["endDate"]) is null => "endDate is required for an endDate range.",
            "endDate" => null,
            "numbered" when (range["numberOfOccurrences"]?.GetValue<int>() ?? 0) < 1 => "numberOfOccurrences must be positive for a numbered range.",
            "numbered" => null,
            _ => $"'{rangeType}' is not a recurrence range type.",
        };
    }

    /// <summary>The original starts (UTC) of the series' occurrences up to <paramref name="until"/>.</summary>
    public static IEnumerable<Instant> Occurrences(JsonObject recurrence, LocalDateTime firstStart, DateTimeZone zone, Instant until)
    {
        var pattern = (JsonObject)recurrence["pattern"]!;
        var range = (JsonObject)recurrence["range"]!;
        var type = pattern["type"]!.GetValue<string>();
        var interval = pattern["interval"]!.GetValue<int>();
        var days = (pattern["daysOfWeek"] as JsonArray ?? []).Select(d => Enum.Parse<IsoDayOfWeek>(d!.GetValue<string>(), ignoreCase: true)).ToHashSet();
        var dayOfMonth = pattern["dayOfMonth"]?.GetValue<int>() ?? 0;
        var month = pattern["month"]?.GetValue<int>() ?? 0;
        var index = pattern["index"]?.GetValue<string>() ?? "first";
        var firstDay = Enum.Parse<IsoDayOfWeek>(pattern["firstDayOfWeek"]?.GetValue<string>() ?? "sunday", ignoreCase: true);
        var start = Date(range["startDate"])!.Value;
        var end = range["type"]!.GetValue<string>() == "endDate" ? Date(range["endDate"]) : null;
        var count = range["type"]!.GetValue<string>() == "numbered" ? range["numberOfOccurrences"]!.GetValue<int>() : int.MaxValue;
        var weekStart = start.With(DateAdjusters.PreviousOrSame(firstDay));
        var produced = 0;
        for (var date = start; produced < count && (end is null || date <= end) && date <= start.PlusYears(60); date = date.PlusDays(1))
        {
            var months = (date.Year - start.Year) * 12 + date.Month - start.Month;
            var matches = type switch
            {
                "daily" => Period.Between(start, date, PeriodUnits.Days).Days % interval == 0,
                "weekly" => days.Contains(date.DayOfWeek) && Period.Between(weekStart, date.With(DateAdjusters.PreviousOrSame(firstDay)), PeriodUnits.Days).Days / 7 % interval == 0,
                "absoluteMonthly" => date.Day == dayOfMonth && months % interval == 0,
                "relativeMonthly" => months % interval == 0 && IsRelative(date, days, index),
                "absoluteYearly" => date.Month == month && date.Day == dayOfMonth && (date.Year - start.Year) % interval == 0,
                "relativeYearly" => date.Month == month && (date.Year - start.Year) % interval == 0 && IsRelative(date, days, index),
                _ => false,
            };
            if (!matches)
                continue;
            var instant = (date + firstStart.TimeOfDay).InZoneLeniently(zone).ToInstant();
            if (instant > until)
                yield break;
            produced++;
            yield return instant;
        }
    }

    private static bool IsRelative(LocalDate date, HashSet<IsoDayOfWeek> days, string index)
    {
        if (!days.Contains(date.DayOfWeek))
            return false;
        var candidates = Enumerable.Range(1, date.Calendar.GetDaysInMonth(date.Year, date.Month))
            .Select(d => new LocalDate(date.Year, date.Month, d)).Where(d => days.Contains(d.DayOfWeek)).ToList();
        var position = index switch { "first" => 0, "second" => 1, "third" => 2, "fourth" => 3, _ => candidates.Count - 1 };
        return position < candidates.Count && candidates[position] == date;
    }

    private static LocalDate? Date(JsonNode? node)
    {
        var text = node?.GetValue<string>();
        var parsed = text is null ? null : LocalDatePattern.Iso.Parse(text);
        return parsed is { Success: true } ? parsed.Value : null;
    }
}
