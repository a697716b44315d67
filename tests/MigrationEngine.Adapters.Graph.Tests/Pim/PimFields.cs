using System.Globalization;
using System.Security.Cryptography;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using MigrationEngine.Adapters.Graph.Pim;
using MigrationEngine.Core.Pim.VCards;
using NodaTime;
using IcalCalendar = Ical.Net.Calendar;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>One compared field of an item: the property it comes from (as a target's drop list names it) and its normalised value.</summary>
internal sealed record PimField(string Property, string Name, string Value)
{
    public override string ToString() => $"{Name}={Value}";
}

/// <summary>
/// The fields the fidelity test compares, read from vCard and iCalendar text in a form both the source and the read-back
/// give alike: addresses and numbers as values, times as instants with the zone's Graph name, dates as dates, a
/// recurrence as the occurrences it makes, photos and files by their SHA-256. Bookkeeping (VERSION, PRODID, REV, DTSTAMP,
/// exporters' labels) is not a field.
/// </summary>
internal static class PimFields
{
    private static readonly HashSet<string> CardBookkeeping = new(StringComparer.OrdinalIgnoreCase)
    {
        "VERSION", "PRODID", "REV", "KIND", "X-ABUID", "X-ABADR", "X-ABLABEL", "LABEL", "CLIENTPIDMAP", "X-MS-OL-DEFAULT-POSTAL-ADDRESS",
        "SOURCE", "NAME", "PROFILE", "MAILER", "SORT-STRING", "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME",
    };

    private static readonly HashSet<string> ImProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "IMPP", "X-AIM", "X-JABBER", "X-MSN", "X-SKYPE", "X-ICQ", "X-YAHOO", "X-GOOGLE-TALK",
    };

    private static readonly HashSet<string> EventBookkeeping = new(StringComparer.OrdinalIgnoreCase)
    {
        "DTSTAMP", "SEQUENCE", "CREATED", "LAST-MODIFIED", "UID", "RECURRENCE-ID", "DTSTART", "DTEND", "DURATION", "RRULE", "EXDATE",
        "SUMMARY", "DESCRIPTION", "LOCATION", "CATEGORIES", "ATTENDEE", "ORGANIZER", "ATTACH", "TRANSP", "STATUS", "CLASS", "PRIORITY",
        "X-MICROSOFT-CDO-BUSYSTATUS",
    };

    public static List<PimField> Contact(string text)
    {
        var card = VCardReader.Parse(text).Single();
        var fields = new List<PimField>();
        var notes = new List<string>();
        foreach (var property in card.Properties)
        {
            switch (property.Name)
            {
                case var name when CardBookkeeping.Contains(name):
                    break;
                case "UID" or "FN" or "TITLE" or "ROLE":
                    Add(fields, property.Name, property.Value.Trim());
                    break;
                case "N":
                    Add(fields, "N", string.Join(';', property.Components.Select(c => c.Trim())).TrimEnd(';'));
                    break;
                case "NOTE":
                    notes.Add(property.Value);
                    break;
                case "EMAIL":
                    Add(fields, "EMAIL", Strip(property.Value, "mailto:").ToLowerInvariant());
                    break;
                case "TEL":
                    Add(fields, "TEL", Strip(property.Value, "tel:"));
                    break;
                case "ADR":
                    var parts = property.Components;
                    string Part(int i) => i < parts.Count ? parts[i].Trim() : "";
                    var street = string.Join("\n", new[] { Part(0), Part(1), Part(2) }.Where(p => p.Length > 0));
                    Add(fields, "ADR", string.Join('|', street, Part(3), Part(4), Part(5), Part(6)));
                    break;
                case "BDAY":
                    Add(fields, "BDAY", Date(property.Value.Trim()));
                    break;
                case "ORG":
                    Add(fields, "ORG", string.Join(';', property.Components.Select(c => c.Trim()).Where(c => c.Length > 0)));
                    break;
                case "NICKNAME" or "CATEGORIES":
                    foreach (var value in property.ListValues.Where(v => v.Trim().Length > 0))
                        Add(fields, property.Name, value.Trim());
                    break;
                case "URL":
                    Add(fields, "URL", property.Value.Trim());
                    break;
                case "PHOTO":
                    Add(fields, "PHOTO", property.Data is null ? "link " + property.Value : Hash(property.Data));
                    break;
                case var im when ImProperties.Contains(im):
                    fields.Add(new PimField(property.Name, "IM", property.Value.Trim()));
                    break;
                default:
                    Add(fields, property.Name, property.Value.Trim());
                    break;
            }
        }

        if (notes.Count > 0)
            Add(fields, "NOTE", string.Join("\n", notes).ReplaceLineEndings("\n"));
        return fields;
    }

    public static List<PimField> Event(string text)
    {
        var calendar = IcalCalendar.Load(text)!;
        var zone = GraphPimTimeZones.ToGraph(calendar.Properties["X-WR-TIMEZONE"]?.Value?.ToString()) ?? "UTC";
        var fields = new List<PimField>();
        var master = calendar.Events.FirstOrDefault(e => e.RecurrenceIdentifier is null) ?? calendar.Events.First();
        // Ical.Net makes up a UID for a component without one: only a UID the text has is a field.
        if (System.Text.RegularExpressions.Regex.IsMatch(text, @"(^|\n)UID[;:]", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            Add(fields, "UID", master.Uid ?? "");
        Component(fields, master, "", zone);
        if (master.RecurrenceRule is { } rule)
            Add(fields, "RRULE", Occurrences(master, rule, zone));
        foreach (var excluded in master.ExceptionDates.GetAllDates())
            Add(fields, "EXDATE", Time(excluded, zone));
        foreach (var changed in calendar.Events.Where(e => !ReferenceEquals(e, master)))
            Component(fields, changed, $"RECURRENCE-ID {Time(changed.RecurrenceIdentifier!.StartTime, zone)} ", zone);
        return fields;
    }

    private static void Component(List<PimField> fields, CalendarEvent component, string prefix, string zone)
    {
        void Field(string property, string value) => fields.Add(new PimField(prefix.Length > 0 ? "RECURRENCE-ID" : property, prefix + property, value));

        Field("DTSTART", Time(component.DtStart!, zone));
        var end = component.DtEnd ?? (component.Duration is { } duration ? component.DtStart!.Add(duration) : null);
        if (end is not null || !component.DtStart!.HasTime)
            Field("DTEND", end is null ? Time(component.DtStart!.AddDays(1), zone) : Time(end, zone));
        if (!string.IsNullOrEmpty(component.Summary))
            Field("SUMMARY", component.Summary);
        if (!string.IsNullOrEmpty(component.Description))
            Field("DESCRIPTION", component.Description.ReplaceLineEndings("\n"));
        if (!string.IsNullOrWhiteSpace(component.Location))
            Field("LOCATION", component.Location);
        foreach (var category in component.Categories.Where(c => !string.IsNullOrWhiteSpace(c)))
            Field("CATEGORIES", category);
        foreach (var alarm in component.Alarms)
            Field("VALARM", $"{alarm.Action} {alarm.Trigger?.Duration?.ToString() ?? alarm.Trigger?.DateTime?.ToString()}");
        foreach (var attendee in component.Attendees)
            Field("ATTENDEE", $"{Strip(attendee.Value!.OriginalString, "mailto:").ToLowerInvariant()} {attendee.Role} {attendee.ParticipationStatus}");
        if (component.Organizer?.Value is { } organizer)
            Field("ORGANIZER", Strip(organizer.OriginalString, "mailto:").ToLowerInvariant());
        foreach (var attachment in component.Attachments)
            Field("ATTACH", attachment.Data is { } data ? Hash(data) : "link " + attachment.Uri);
        var busy = component.Properties["X-MICROSOFT-CDO-BUSYSTATUS"]?.Value?.ToString()?.ToUpperInvariant()
            ?? (string.Equals(component.Transparency, "TRANSPARENT", StringComparison.OrdinalIgnoreCase) ? "FREE"
                : string.Equals(component.Status, "TENTATIVE", StringComparison.OrdinalIgnoreCase) ? "TENTATIVE" : "BUSY");
        if (busy != "BUSY")
            Field(component.Properties["X-MICROSOFT-CDO-BUSYSTATUS"] is null ? "TRANSP" : "X-MICROSOFT-CDO-BUSYSTATUS", busy);
        if (string.Equals(component.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase))
            Field("STATUS", "CANCELLED");
        if (component.Class?.ToUpperInvariant() is "PRIVATE" or "CONFIDENTIAL")
            Field("CLASS", component.Class.ToUpperInvariant());
        if (component.Priority is >= 1 and <= 4 or >= 6 and <= 9)
            Field("PRIORITY", component.Priority <= 4 ? "high" : "low");
        foreach (var other in component.Properties.Where(p => !EventBookkeeping.Contains(p.Name)))
            Field(other.Name.ToUpperInvariant(), other.Value?.ToString() ?? "");
    }

    /// <summary>A time as an instant in UTC and the zone's Graph name (floating: the calendar's zone), a date as a date.</summary>
    private static string Time(CalDateTime value, string calendarZone)
    {
        if (!value.HasTime)
            return "date " + value.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var zone = value.IsUtc ? "UTC" : value.TzId is null ? calendarZone : GraphPimTimeZones.ToGraph(value.TzId) ?? value.TzId;
        var instant = GraphEventTimes.ToInstant(value.Value, zone);
        return $"{instant?.ToString("uuuu-MM-ddTHH:mm'Z'", CultureInfo.InvariantCulture)} {zone}";
    }

    /// <summary>
    /// The pattern's occurrences (EXDATEs aside, those are fields of their own) up to the horizon the reader reads a series
    /// without an end to: how many, the first, the last, a hash of all.
    /// </summary>
    private static string Occurrences(CalendarEvent master, RecurrenceRule rule, string zone)
    {
        var copy = new CalendarEvent { DtStart = master.DtStart, Duration = Ical.Net.DataTypes.Duration.FromHours(1), RecurrenceRule = rule };
        var calendar = new IcalCalendar();
        calendar.Events.Add(copy);
        var first = Instant(master.DtStart!, zone);
        var horizon = first + NodaTime.Duration.FromDays(366 * GraphPimReader.OpenSeriesYears);
        var starts = copy.GetOccurrences().Take(GraphSeriesOccurrences.MaxOccurrences)
            .Select(o => o.Period.StartTime)
            .TakeWhile(t => Instant(t, zone) <= horizon)
            .Select(t => Time(t, zone))
            .ToList();
        return $"{starts.Count} from {starts.FirstOrDefault()} to {starts.LastOrDefault()} #{Hash(System.Text.Encoding.UTF8.GetBytes(string.Join(",", starts)))[7..19]}";
    }

    private static Instant Instant(CalDateTime value, string calendarZone)
    {
        var zone = !value.HasTime ? calendarZone : value.IsUtc ? "UTC" : value.TzId is null ? calendarZone : GraphPimTimeZones.ToGraph(value.TzId) ?? "UTC";
        return GraphEventTimes.ToInstant(value.Value, zone) ?? NodaTime.Instant.MinValue;
    }

    private static string Date(string value)
    {
        if (value.StartsWith("--", StringComparison.Ordinal))
            return value;
        var digits = value.Length >= 10 && value[4] == '-' ? value[..10] : value.Length >= 8 ? $"{value[..4]}-{value[4..6]}-{value[6..8]}" : value;
        return digits;
    }

    private static string Strip(string value, string scheme) =>
        value.Trim().StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? value.Trim()[scheme.Length..] : value.Trim();

    private static string Hash(byte[] data) => "sha256 " + Convert.ToHexStringLower(SHA256.HashData(data))[..16];

    private static void Add(List<PimField> fields, string name, string value) => fields.Add(new PimField(name, name, value));
}
