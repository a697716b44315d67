using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NodaTime;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// Calendars and events as Microsoft documents them: user-list-calendars / user-post-calendars (a second calendar of
/// the same name is 409 ErrorFolderExists), calendar-list-events / user-post-events on /calendar (the default one) and
/// /calendars/{id}. Listings hold single events and series masters; start and end come back in UTC unless
/// Prefer: outlook.timezone names a zone (https://learn.microsoft.com/graph/api/user-list-events). Creating an event
/// with attendees sends them invitations ("When an event is sent, the server sends invitations to all the attendees"),
/// recorded in <see cref="SentMessages"/>; a transactionId already used in the mailbox returns that event instead of a
/// second one (event resource, transactionId).
/// </summary>
public sealed partial class GraphEmulator
{
    private const string CalendarsRole = "Calendars.ReadWrite";

    private static readonly HashSet<string> EventProperties = new(StringComparer.Ordinal)
    {
        "allowNewTimeProposals", "attendees", "body", "categories", "end", "hideAttendees", "importance", "isAllDay", "isOnlineMeeting",
        "isReminderOn", "location", "locations", "onlineMeetingProvider", "organizer", "recurrence", "reminderMinutesBeforeStart",
        "responseRequested", "sensitivity", "showAs", "start", "subject", "transactionId",
    };

    private void MapCalendars()
    {
        _app.MapGet("/v1.0/users/{user}/calendars", (HttpContext context, string user) =>
            WithMailbox(context, user, mailbox =>
                new Answer(200, Page(context, PimOf(mailbox).Calendars.Values.ToList(), CalendarJson, $"/users/{mailbox.Id}/calendars", BaseUrl)), CalendarsRole));
        _app.MapPost("/v1.0/users/{user}/calendars", async (HttpContext context, string user) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox =>
            {
                var store = PimOf(mailbox);
                var name = body?["name"]?.GetValue<string>();
                if (string.IsNullOrWhiteSpace(name))
                    return Answer.Fail(400, "ErrorInvalidRequest", "name is required.");
                if (store.Calendars.Values.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
                    return Answer.Fail(409, "ErrorFolderExists", "A folder with the specified name already exists.");
                var calendar = new EmulatorCalendar { Id = NewId("C"), Name = name };
                store.Calendars[calendar.Id] = calendar;
                return new Answer(201, CalendarJson(calendar));
            }, CalendarsRole);
        });

        _app.MapGet("/v1.0/users/{user}/calendar/events", (HttpContext context, string user) =>
            WithMailbox(context, user, mailbox => ListEvents(context, mailbox, DefaultCalendar(mailbox).Id), CalendarsRole));
        _app.MapGet("/v1.0/users/{user}/calendars/{calendar}/events", (HttpContext context, string user, string calendar) =>
            WithMailbox(context, user, mailbox => ListEvents(context, mailbox, calendar), CalendarsRole));
        _app.MapPost("/v1.0/users/{user}/calendar/events", async (HttpContext context, string user) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox => CreateEvent(context, mailbox, DefaultCalendar(mailbox).Id, body), CalendarsRole);
        });
        _app.MapPost("/v1.0/users/{user}/calendars/{calendar}/events", async (HttpContext context, string user, string calendar) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox => CreateEvent(context, mailbox, calendar, body), CalendarsRole);
        });
    }

    private EmulatorCalendar DefaultCalendar(EmulatorUser mailbox) => PimOf(mailbox).Calendars.Values.First(c => c.IsDefault);

    private Answer ListEvents(HttpContext context, EmulatorUser mailbox, string calendar)
    {
        var store = PimOf(mailbox);
        if (!store.Calendars.ContainsKey(calendar))
            return PimMissing("calendar", calendar);
        var zone = PreferredZone(context);
        var events = store.Events.Values.Where(e => e.CalendarId == calendar).ToList();
        var path = store.Calendars[calendar].IsDefault ? $"/users/{mailbox.Id}/calendar/events" : $"/users/{mailbox.Id}/calendars/{calendar}/events";
        return ProjectedPage(context, events, e => (WithBodyType(context, EventJson(mailbox, e, zone)), e.Id, e.ExtendedProperties), path, BaseUrl);
    }

    private Answer CreateEvent(HttpContext context, EmulatorUser mailbox, string calendar, JsonNode? body)
    {
        var store = PimOf(mailbox);
        if (!store.Calendars.ContainsKey(calendar))
            return PimMissing("calendar", calendar);
        var refused = ReadBody(body, "event", EventProperties, out var properties, out var extended);
        if (refused is not null)
            return refused;
        if (properties["transactionId"]?.GetValue<string>() is { } transaction
            && store.Events.Values.FirstOrDefault(e => e.Properties["transactionId"]?.GetValue<string>() == transaction) is { } earlier)
        {
            return new Answer(201, EventJson(mailbox, earlier, PreferredZone(context)));
        }

        if (properties["start"] is null || properties["end"] is null)
            return Answer.Fail(400, "ErrorInvalidRequest", "An event needs start and end.");
        var invalid = ValidateEvent(properties);
        if (invalid is not null)
            return invalid;
        var created = new EmulatorEvent { Id = NewId("E"), CalendarId = calendar, Properties = properties };
        foreach (var (name, value) in extended)
            created.ExtendedProperties[name] = value;
        store.Events[created.Id] = created;
        RecordSent(mailbox, "meetingRequest", created.Attendees, created.Subject);
        return new Answer(201, EventJson(mailbox, created, PreferredZone(context)));
    }

    /// <summary>Times in a stored event as Graph checks them: known zones, end not before start, isAllDay midnight to midnight in one zone, a valid recurrence.</summary>
    private static Answer? ValidateEvent(JsonObject properties)
    {
        var start = EmulatorRecurrence.Read(properties["start"], out var problem);
        var end = start is null ? null : EmulatorRecurrence.Read(properties["end"], out problem);
        if (start is null || end is null)
            return Answer.Fail(400, problem!.StartsWith("TimeZone", StringComparison.Ordinal) ? "TimeZoneNotSupportedException" : "BadRequest", problem);
        var startInstant = start.Value.Wall.InZoneLeniently(start.Value.Zone).ToInstant();
        var endInstant = end.Value.Wall.InZoneLeniently(end.Value.Zone).ToInstant();
        if (endInstant < startInstant)
            return Answer.Fail(400, "ErrorInvalidRequest", "The end of the event is before its start.");
        if (properties["isAllDay"]?.GetValue<bool>() == true
            && (start.Value.Wall.TimeOfDay != LocalTime.Midnight || end.Value.Wall.TimeOfDay != LocalTime.Midnight
                || !string.Equals(start.Value.Name, end.Value.Name, StringComparison.OrdinalIgnoreCase) || endInstant <= startInstant))
        {
            return Answer.Fail(400, "ErrorPropertyValidationError",
                "An all-day event's start and end must be at midnight and in the same time zone (isAllDay).");
        }

        if (properties["recurrence"] is JsonObject recurrence && EmulatorRecurrence.Validate(recurrence) is { } recurrenceProblem)
            return Answer.Fail(400, "ErrorPropertyValidationError", recurrenceProblem);
        return null;
    }

    private void RecordSent(EmulatorUser mailbox, string kind, JsonArray attendees, string? subject)
    {
        foreach (var attendee in attendees)
        {
            var address = attendee?["emailAddress"]?["address"]?.GetValue<string>() ?? "(no address)";
            SentMessages.Enqueue(new EmulatorSentMessage(mailbox.UserPrincipalName, kind, address, subject ?? ""));
        }
    }

    /// <summary>The zone of Prefer: outlook.timezone="..." (UTC when absent or unknown).</summary>
    private static (DateTimeZone Zone, string Name) PreferredZone(HttpContext context)
    {
        foreach (var prefer in context.Request.Headers["Prefer"])
        {
            var text = prefer ?? "";
            var at = text.IndexOf("outlook.timezone=", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
                continue;
            var name = text[(at + "outlook.timezone=".Length)..].Split(',')[0].Trim().Trim('"');
            if (EmulatorRecurrence.Zone(name) is { } zone)
                return (zone, name);
        }

        return (DateTimeZone.Utc, "UTC");
    }

    private static JsonObject CalendarJson(EmulatorCalendar calendar) => new()
    {
        ["id"] = calendar.Id,
        ["name"] = calendar.Name,
        ["isDefaultCalendar"] = calendar.IsDefault,
        ["canEdit"] = true,
    };

    /// <summary>An event (or occurrence) as Graph answers it: start and end converted to the preferred zone.</summary>
    private static JsonObject EventJson(EmulatorUser mailbox, EmulatorEvent stored, (DateTimeZone Zone, string Name) zone, JsonObject? properties = null,
        string? id = null, string type = "singleInstance", Instant? originalStart = null)
    {
        var json = (JsonObject)(properties ?? stored.Properties).DeepClone();
        json["id"] = id ?? stored.Id;
        json["type"] = stored.Recurrence is not null && id is null ? "seriesMaster" : type;
        json["isOrganizer"] = true;
        json["hasAttachments"] = stored.Attachments.Count > 0;
        // The zones the event was created with, which start and end no longer show once converted (event resource).
        json["originalStartTimeZone"] = (properties ?? stored.Properties)["start"]?["timeZone"]?.DeepClone();
        json["originalEndTimeZone"] = (properties ?? stored.Properties)["end"]?["timeZone"]?.DeepClone();
        json["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = mailbox.UserPrincipalName, ["name"] = mailbox.DisplayName } };
        foreach (var name in new[] { "start", "end" })
        {
            if (EmulatorRecurrence.Read(json[name], out _) is { } time)
                json[name] = EmulatorRecurrence.Write(time.Wall.InZoneLeniently(time.Zone).ToInstant(), zone.Zone, zone.Name);
        }

        if (originalStart is not null)
        {
            json["seriesMasterId"] = stored.Id;
            json["originalStart"] = originalStart.Value.ToString("uuuu'-'MM'-'dd'T'HH':'mm':'ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }

        return json;
    }
}
