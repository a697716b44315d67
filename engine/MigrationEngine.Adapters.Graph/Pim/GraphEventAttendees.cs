using System.Text;
using System.Text.Json;
using Ical.Net.CalendarComponents;
using Microsoft.Graph.Models;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>
/// Keeps the organiser and the attendees with their responses in a form that sends nothing: a JSON record in an extended
/// property (<see cref="GraphExtendedProperties.Attendees"/>, for a later export) and a plain-text note at the end of
/// the body (for the user). Writing them as the event's attendees would send invitations (user-post-events) and, on a
/// later pass, meeting updates (event-update); docs/graph.md explains the trade-off.
/// </summary>
internal static class GraphEventAttendees
{
    private sealed record Person(string Address, string? Name, string? Role, string? Response);

    private sealed record AttendeeRecord(Person? Organizer, IReadOnlyList<Person> Attendees);

    /// <summary>The record's JSON (null when the event names nobody); adds the note to the body and the drops.</summary>
    public static string? Record(IReadOnlyList<CalendarEvent> components, string mailbox, Event graphEvent, List<string> dropped)
    {
        var master = components.FirstOrDefault(c => c.RecurrenceIdentifier is null) ?? components[0];
        var attendees = master.Attendees.Where(a => a.Value is not null)
            .Select(a => new Person(Address(a.Value!), a.CommonName, a.Role, a.ParticipationStatus)).ToList();
        var organizer = master.Organizer?.Value is { } organizerUri ? new Person(Address(organizerUri), master.Organizer.CommonName, null, null) : null;
        var foreignOrganizer = organizer is not null && !string.Equals(organizer.Address, mailbox, StringComparison.OrdinalIgnoreCase);
        if (attendees.Count == 0 && !foreignOrganizer)
            return null;

        var note = new StringBuilder("Meeting details kept by the migration (no invitation was sent):");
        if (organizer is not null)
            note.Append("\nOrganizer: ").Append(Describe(organizer));
        foreach (var attendee in attendees)
            note.Append("\nAttendee: ").Append(Describe(attendee));
        GraphEventMapper.AppendNote(graphEvent.Body!, note.ToString());
        if (attendees.Count > 0)
            dropped.Add($"ATTENDEE x{attendees.Count} (kept in the body and an extended property, not as meeting attendees: Graph would send invitations)");
        if (foreignOrganizer)
            dropped.Add($"ORGANIZER {organizer!.Address} (the copy is organised by the mailbox itself; the organiser is kept in the body)");
        return JsonSerializer.Serialize(new AttendeeRecord(organizer, attendees), JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static string Address(Uri uri) => uri.Scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase) ? Uri.UnescapeDataString(uri.OriginalString[7..]) : uri.OriginalString;

    private static string Describe(Person person)
    {
        var text = person.Name is { Length: > 0 } name ? $"{name} <{person.Address}>" : person.Address;
        var details = new[] { person.Role?.ToLowerInvariant(), person.Response?.ToLowerInvariant() }.Where(d => d is not null).ToList();
        return details.Count == 0 ? text : $"{text} ({string.Join(", ", details)})";
    }
}
