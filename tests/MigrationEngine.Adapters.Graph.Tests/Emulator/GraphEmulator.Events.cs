using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NodaTime;
using NodaTime.Text;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// One event, its occurrences and attachments: event-update (PATCH; with attendees it sends meeting updates, recorded),
/// event-delete (a meeting's deletion on the organiser's calendar sends cancellations, recorded), event-list-instances
/// (startDateTime and endDateTime are required; occurrences and exceptions of the range, cancelled ones left out, each
/// with its originalStart), an occurrence patched into an exception or deleted, and event-post-attachments
/// (fileAttachment, under 3 MB).
/// </summary>
public sealed partial class GraphEmulator
{
    private const string OccurrenceMark = ".OCC.";

    private void MapEvents()
    {
        _app.MapPatch("/v1.0/users/{user}/events/{id}", async (HttpContext context, string user, string id) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox => PatchEvent(context, mailbox, id, body), CalendarsRole);
        });
        _app.MapDelete("/v1.0/users/{user}/events/{id}", (HttpContext context, string user, string id) =>
            WithMailbox(context, user, mailbox =>
            {
                var store = PimOf(mailbox);
                if (Occurrence(store, id) is { } occurrence)
                {
                    occurrence.Series.Exceptions[occurrence.Start.ToDateTimeOffset()] = null;
                    RecordSent(mailbox, "meetingCancellation", occurrence.Series.Attendees, occurrence.Series.Subject);
                    return new Answer(204);
                }

                if (!store.Events.Remove(id, out var removed))
                    return PimMissing("event", id);
                RecordSent(mailbox, "meetingCancellation", removed.Attendees, removed.Subject);
                return new Answer(204);
            }, CalendarsRole));
        _app.MapGet("/v1.0/users/{user}/events/{id}/instances", (HttpContext context, string user, string id) =>
            WithMailbox(context, user, mailbox => Instances(context, mailbox, id), CalendarsRole));
        _app.MapPost("/v1.0/users/{user}/events/{id}/attachments", async (HttpContext context, string user, string id) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox =>
            {
                if (!PimOf(mailbox).Events.TryGetValue(id, out var stored))
                    return PimMissing("event", id);
                var name = body?["name"]?.GetValue<string>();
                var bytes = body?["contentBytes"]?.GetValue<string>();
                if (body?["@odata.type"]?.GetValue<string>() != "#microsoft.graph.fileAttachment" || string.IsNullOrEmpty(name) || bytes is null)
                    return Answer.Fail(400, "ErrorInvalidRequest", "A file attachment needs @odata.type #microsoft.graph.fileAttachment, name and contentBytes.");
                var content = Convert.FromBase64String(bytes);
                if (content.Length >= 3 * 1024 * 1024)
                    return Answer.Fail(413, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize", "Attachments of 3 MB or more need an upload session.");
                var attachment = new EmulatorAttachment(NewId("A"), name, body["contentType"]?.GetValue<string>() ?? "application/octet-stream", content, false, false);
                stored.Attachments.Add(attachment);
                return new Answer(201, new JsonObject { ["@odata.type"] = "#microsoft.graph.fileAttachment", ["id"] = attachment.Id, ["name"] = name, ["size"] = content.Length });
            }, CalendarsRole);
        });
        // https://learn.microsoft.com/graph/api/attachment-createuploadsession: for a message or an event, files "between 3 MB and 150 MB".
        _app.MapPost("/v1.0/users/{user}/events/{id}/attachments/createUploadSession", async (HttpContext context, string user, string id) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox => CreateEventUploadSession(mailbox, id, body), CalendarsRole);
        });
        _app.MapGet("/v1.0/users/{user}/events/{id}/attachments", (HttpContext context, string user, string id) =>
            WithMailbox(context, user, mailbox =>
                PimOf(mailbox).Events.TryGetValue(id, out var stored)
                    ? new Answer(200, Page(context, stored.Attachments, a => new JsonObject
                    {
                        ["@odata.type"] = "#microsoft.graph.fileAttachment", ["id"] = a.Id, ["name"] = a.Name, ["contentType"] = a.ContentType, ["size"] = a.Content.Length,
                    }, $"/users/{mailbox.Id}/events/{id}/attachments", BaseUrl))
                    : PimMissing("event", id), CalendarsRole));
    }

    private Answer PatchEvent(HttpContext context, EmulatorUser mailbox, string id, JsonNode? body)
    {
        var store = PimOf(mailbox);
        var refused = ReadBody(body, "event", EventProperties, out var changes, out var extended);
        if (refused is not null)
            return refused;
        if (changes.ContainsKey("transactionId"))
            return Answer.Fail(400, "ErrorInvalidRequest", "transactionId cannot be changed after the event is created.");
        if (Occurrence(store, id) is { } occurrence)
        {
            var series = occurrence.Series;
            var current = series.Exceptions.GetValueOrDefault(occurrence.Start.ToDateTimeOffset()) ?? OccurrenceProperties(series, occurrence.Start);
            var merged = Merge(current, changes);
            merged.Remove("recurrence");
            var invalid = ValidateEvent(merged);
            if (invalid is not null)
                return invalid;
            series.Exceptions[occurrence.Start.ToDateTimeOffset()] = merged;
            if (changes.ContainsKey("attendees") || series.Attendees.Count > 0)
                RecordSent(mailbox, "meetingUpdate", merged["attendees"] as JsonArray ?? series.Attendees, series.Subject);
            return new Answer(200, EventJson(mailbox, series, PreferredZone(context), merged, id, "exception", occurrence.Start));
        }

        if (!store.Events.TryGetValue(id, out var stored))
            return PimMissing("event", id);
        var updated = Merge(stored.Properties, changes);
        var problem = ValidateEvent(updated);
        if (problem is not null)
            return problem;
        if (changes.ContainsKey("recurrence") || changes.ContainsKey("start") || changes.ContainsKey("end"))
            stored.Exceptions.Clear(); // a new pattern or time replaces the series' exceptions, as Outlook does
        stored.Properties = updated;
        foreach (var (name, value) in extended)
            stored.ExtendedProperties[name] = value;
        if (stored.Attendees.Count > 0)
            RecordSent(mailbox, "meetingUpdate", stored.Attendees, stored.Subject);
        return new Answer(200, EventJson(mailbox, stored, PreferredZone(context)));
    }

    private Answer Instances(HttpContext context, EmulatorUser mailbox, string id)
    {
        if (!PimOf(mailbox).Events.TryGetValue(id, out var series))
            return PimMissing("event", id);
        var from = Instant(context.Request.Query["startDateTime"].ToString());
        var to = Instant(context.Request.Query["endDateTime"].ToString());
        if (from is null || to is null)
            return Answer.Fail(400, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
        var zone = PreferredZone(context);
        var instances = new List<JsonObject>();
        if (series.Recurrence is { } recurrence && EmulatorRecurrence.Read(series.Properties["start"], out _) is { } start)
        {
            var length = Length(series.Properties);
            foreach (var original in EmulatorRecurrence.Occurrences(recurrence, start.Wall, start.Zone, to.Value))
            {
                var exception = series.Exceptions.TryGetValue(original.ToDateTimeOffset(), out var changed);
                if (exception && changed is null)
                    continue; // cancelled: not an instance any more
                var properties = changed ?? OccurrenceProperties(series, original);
                var occurrenceEnd = EmulatorRecurrence.Read(properties["end"], out _)!.Value;
                if (occurrenceEnd.Wall.InZoneLeniently(occurrenceEnd.Zone).ToInstant() <= from.Value && length > Duration.Zero)
                    continue;
                var occurrenceId = series.Id + OccurrenceMark + original.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                instances.Add(WithBodyType(context, EventJson(mailbox, series, zone, properties, occurrenceId, exception ? "exception" : "occurrence", original)));
            }
        }

        return ProjectedPage(context, instances, i => (i, i["id"]!.GetValue<string>(), new Dictionary<string, string>()),
            $"/users/{mailbox.Id}/events/{id}/instances", BaseUrl);
    }

    /// <summary>The series' properties moved to one occurrence (same wall-clock length, same zones).</summary>
    private static JsonObject OccurrenceProperties(EmulatorEvent series, Instant original)
    {
        var properties = (JsonObject)series.Properties.DeepClone();
        properties.Remove("recurrence");
        var start = EmulatorRecurrence.Read(series.Properties["start"], out _)!.Value;
        var end = EmulatorRecurrence.Read(series.Properties["end"], out _)!.Value;
        properties["start"] = EmulatorRecurrence.Write(original, start.Zone, start.Name);
        properties["end"] = EmulatorRecurrence.Write(original + Length(series.Properties), end.Zone, end.Name);
        return properties;
    }

    private static Duration Length(JsonObject properties)
    {
        var start = EmulatorRecurrence.Read(properties["start"], out _)!.Value;
        var end = EmulatorRecurrence.Read(properties["end"], out _)!.Value;
        return end.Wall.InZoneLeniently(end.Zone).ToInstant() - start.Wall.InZoneLeniently(start.Zone).ToInstant();
    }

    private static JsonObject Merge(JsonObject current, JsonObject changes)
    {
        var merged = (JsonObject)current.DeepClone();
        foreach (var (name, value) in changes)
            merged[name] = value?.DeepClone();
        return merged;
    }

    private static (EmulatorEvent Series, Instant Start)? Occurrence(EmulatorPimStore store, string id)
    {
        var mark = id.IndexOf(OccurrenceMark, StringComparison.Ordinal);
        if (mark < 0 || !store.Events.TryGetValue(id[..mark], out var series)
            || !long.TryParse(id[(mark + OccurrenceMark.Length)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        return (series, NodaTime.Instant.FromUnixTimeSeconds(seconds));
    }

    private static Instant? Instant(string text)
    {
        var parsed = InstantPattern.General.Parse(text.EndsWith('Z') ? text : text + "Z");
        if (parsed.Success)
            return parsed.Value;
        var local = LocalDateTimePattern.ExtendedIso.Parse(text);
        return local.Success ? local.Value.InUtc().ToInstant() : null;
    }
}
