using NodaTime.TimeZones;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>
/// iCalendar TZIDs to the time zone names Graph takes in dateTimeTimeZone: Windows names (the documented list) and the
/// IANA names it lists as additional time zones (https://learn.microsoft.com/graph/api/resources/datetimetimezone). Names
/// are matched through the CLDR mapping NodaTime carries (Ical.Net's own time zone source), so no ICU is needed.
/// </summary>
internal static class GraphPimTimeZones
{
    private static readonly TzdbDateTimeZoneSource Tzdb = TzdbDateTimeZoneSource.Default;

    private static readonly Dictionary<string, string> WindowsByIana = BuildWindowsByIana();

    private static readonly HashSet<string> WindowsNames = new(Tzdb.WindowsMapping.PrimaryMapping.Keys, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The Graph name for <paramref name="tzid"/>: a Windows name as it is, an IANA name as its Windows name (or itself
    /// when CLDR has none), "UTC" for UTC; null when neither list knows it (the item is refused: unknown time zone).
    /// Exporters' prefixed ids (/mozilla.org/20050126_1/Europe/Berlin) are tried by their trailing IANA part.
    /// </summary>
    public static string? ToGraph(string? tzid)
    {
        if (string.IsNullOrWhiteSpace(tzid))
            return null;
        var id = tzid.Trim().Trim('"');
        if (id.Equals("UTC", StringComparison.OrdinalIgnoreCase) || id.Equals("Etc/UTC", StringComparison.OrdinalIgnoreCase) || id.Equals("GMT", StringComparison.Ordinal))
            return "UTC";
        if (WindowsNames.TryGetValue(id, out var windows))
            return windows;
        for (var candidate = id; candidate.Length > 0;)
        {
            var canonical = Canonical(candidate);
            if (canonical is not null)
                return WindowsByIana.GetValueOrDefault(canonical, canonical);
            var slash = candidate.IndexOf('/', StringComparison.Ordinal);
            candidate = slash < 0 ? "" : candidate[(slash + 1)..];
        }

        return null;
    }

    /// <summary>Whether Graph (and so the emulator) takes the name: a Windows name or a known IANA name.</summary>
    public static bool IsKnown(string name) =>
        name.Equals("UTC", StringComparison.OrdinalIgnoreCase) || WindowsNames.Contains(name) || Canonical(name) is not null;

    /// <summary>The IANA id NodaTime resolves <paramref name="name"/> to (Windows names through CLDR), or null.</summary>
    public static string? ToIana(string name)
    {
        if (name.Equals("UTC", StringComparison.OrdinalIgnoreCase))
            return "UTC";
        if (WindowsNames.TryGetValue(name, out var windows) && Tzdb.WindowsMapping.PrimaryMapping.TryGetValue(windows, out var iana))
            return iana;
        return Canonical(name);
    }

    private static string? Canonical(string id)
    {
        if (!Tzdb.CanonicalIdMap.TryGetValue(id, out var canonical))
            return null;
        return canonical;
    }

    private static Dictionary<string, string> BuildWindowsByIana()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var zone in Tzdb.WindowsMapping.MapZones)
        {
            foreach (var iana in zone.TzdbIds)
            {
                var canonical = Tzdb.CanonicalIdMap.TryGetValue(iana, out var mapped) ? mapped : iana;
                // The territory "001" entry is the primary zone of a Windows name; keep the first name seen otherwise.
                if (zone.Territory == "001" || !map.ContainsKey(canonical))
                    map[canonical] = zone.WindowsId;
            }
        }

        return map;
    }
}
