using System.Text;
using Ical.Net;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Pim;

/// <summary>
/// Splits an iCalendar file into items: every component (VEVENT, VTODO, VJOURNAL) of one UID, the series master and its
/// overridden occurrences, becomes one VCALENDAR with the VTIMEZONEs those components name. Components are copied as they
/// were written (folding included); METHOD is dropped (a stored calendar object has none, RFC 4791 4.1). Each item is then
/// read by Ical.Net: what it cannot read, or a TZID neither defined in the file nor known (IANA or Windows), is the item's
/// <see cref="PimItem.Problem"/>, so it becomes a bad item with a reason and the rest of the file goes on.
/// </summary>
public static class CalendarItems
{
    private static readonly HashSet<string> ItemComponents = new(StringComparer.Ordinal) { "VEVENT", "VTODO", "VJOURNAL" };
    private static readonly HashSet<string> CalendarProperties = new(StringComparer.Ordinal) { "VERSION", "PRODID", "CALSCALE" };

    private sealed class Component(string name)
    {
        public string Name { get; } = name;
        public List<string> Raw { get; } = [];
        public string? Uid { get; set; }
        public string? RecurrenceId { get; set; }
        public string? TzId { get; set; }
        public HashSet<string> UsedTimeZones { get; } = new(StringComparer.Ordinal);
    }

    /// <param name="text">The file's text.</param>
    /// <param name="sourceId">The file's id in its collection; items are <c>sourceId#n</c> when the file holds more than one.</param>
    public static IReadOnlyList<PimItem> Split(string text, string sourceId)
    {
        var (header, components) = Read(text);
        var timeZones = components.Where(c => c.Name == "VTIMEZONE" && c.TzId is not null).GroupBy(c => c.TzId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var groups = new List<(string? Uid, List<Component> Members)>();
        var byUid = new Dictionary<string, List<Component>>(StringComparer.Ordinal);
        foreach (var component in components.Where(c => ItemComponents.Contains(c.Name)))
        {
            if (component.Uid is { } uid && byUid.TryGetValue(uid, out var members))
            {
                members.Add(component);
                continue;
            }

            List<Component> group = [component];
            groups.Add((component.Uid, group));
            if (component.Uid is { } first)
            {
                byUid[first] = group;
            }
        }

        var items = new List<PimItem>(groups.Count);
        for (var index = 0; index < groups.Count; index++)
        {
            var (uid, members) = groups[index];
            var used = members.SelectMany(m => m.UsedTimeZones).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var body = new StringBuilder("BEGIN:VCALENDAR\r\n");
            foreach (var line in header)
            {
                body.Append(line).Append("\r\n");
            }

            foreach (var zone in used.Where(timeZones.ContainsKey))
            {
                timeZones[zone].Raw.ForEach(line => body.Append(line).Append("\r\n"));
            }

            foreach (var member in members)
            {
                member.Raw.ForEach(line => body.Append(line).Append("\r\n"));
            }

            body.Append("END:VCALENDAR\r\n");
            var itemText = body.ToString();
            var key = uid is null ? PimKeys.ForContent(itemText)
                : members.All(m => m.RecurrenceId is not null) ? PimKeys.ForOccurrence(uid, members[0].RecurrenceId!)
                : PimKeys.ForUid(uid);
            items.Add(new PimItem
            {
                Kind = ItemKind.Calendar,
                SourceId = groups.Count == 1 ? sourceId : $"{sourceId}#{index + 1}",
                Key = key,
                ContentHash = PimKeys.ContentHash(itemText),
                Text = itemText,
                Problem = PimKeys.SizeProblem(itemText, PimKeys.MaxCalendarItemBytes) ?? Check(itemText, used.Where(zone => !timeZones.ContainsKey(zone))),
            });
        }

        return items;
    }

    private static (List<string> Header, List<Component> Components) Read(string text)
    {
        var header = new List<string>();
        var components = new List<Component>();
        var depth = 0;
        Component? current = null;
        foreach (var (logical, raw) in ContentLines.Read(text))
        {
            var name = ContentLines.NameOf(logical);
            var value = ContentLines.ValueOf(logical).Trim();
            if (name == "BEGIN")
            {
                depth++;
                if (depth == 2)
                {
                    current = new Component(value.ToUpperInvariant());
                    components.Add(current);
                }
            }

            if (depth >= 2 && current is not null)
            {
                current.Raw.Add(raw);
                if (depth == 2)
                {
                    Note(current, name, logical, value);
                }
                else if (ContentLines.ParameterOf(logical, "TZID") is { } nested)
                {
                    current.UsedTimeZones.Add(nested);
                }
            }
            else if (depth == 1 && CalendarProperties.Contains(name))
            {
                header.Add(raw);
            }

            if (name == "END")
            {
                depth = Math.Max(0, depth - 1);
                current = depth >= 2 ? current : null;
            }
        }

        return (header, components);
    }

    private static void Note(Component component, string name, string logical, string value)
    {
        switch (name)
        {
            case "UID" when value.Length > 0:
                component.Uid = value;
                break;
            case "TZID" when component.Name == "VTIMEZONE":
                component.TzId = value;
                break;
            case "RECURRENCE-ID":
                var zone = ContentLines.ParameterOf(logical, "TZID");
                component.RecurrenceId = zone is null ? value : $"{zone}:{value}";
                break;
        }

        if (component.Name != "VTIMEZONE" && ContentLines.ParameterOf(logical, "TZID") is { } tzid)
        {
            component.UsedTimeZones.Add(tzid);
        }
    }

    /// <summary>What keeps the item from being copied faithfully, or null.</summary>
    private static string? Check(string itemText, IEnumerable<string> undefinedZones)
    {
        foreach (var zone in undefinedZones)
        {
            try
            {
                _ = TimeZoneResolvers.Default(zone);
            }
            catch (ArgumentException)
            {
                return $"unknown time zone '{zone}' (neither defined in the file by a VTIMEZONE nor an IANA or Windows time zone name)";
            }
        }

        try
        {
            var calendar = Calendar.Load(itemText);
            if (calendar is null)
            {
                return "not an iCalendar object";
            }

            foreach (var component in calendar.Events)
            {
                if (component.DtStart is null)
                {
                    return $"event '{component.Summary}' has no readable start (DTSTART)";
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or System.Runtime.Serialization.SerializationException or InvalidOperationException or OverflowException)
        {
            return "not valid iCalendar: " + ex.Message;
        }
    }
}
