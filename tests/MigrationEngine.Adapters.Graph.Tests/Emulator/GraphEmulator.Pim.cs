using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// Contacts and calendars of the emulated mailboxes: shared pieces (the store, the record of sent messages, paging,
/// $select and the documented $expand of extended properties, strict request bodies). The routes are in
/// GraphEmulator.Contacts.cs and GraphEmulator.Calendars.cs.
/// </summary>
public sealed partial class GraphEmulator
{
    private readonly Dictionary<string, EmulatorPimStore> _pim = new(StringComparer.Ordinal);

    /// <summary>
    /// Every message the service would have sent: an event created or updated with attendees on the organiser's calendar
    /// sends invitations or updates (https://learn.microsoft.com/graph/api/user-post-events, event-update), deleting or
    /// cancelling such an event sends cancellations (event-delete, event-cancel).
    /// </summary>
    public ConcurrentQueue<EmulatorSentMessage> SentMessages { get; } = new();

    /// <summary>The contacts and calendars of a mailbox, for tests to read or plant (take the emulator's lock through <see cref="WithPim"/>).</summary>
    public T WithPim<T>(string upn, Func<EmulatorPimStore, T> read)
    {
        lock (_gate)
        {
            return read(PimOf(FindUserLocked(upn)!));
        }
    }

    private EmulatorPimStore PimOf(EmulatorUser user)
    {
        if (!_pim.TryGetValue(user.Id, out var store))
        {
            store = new EmulatorPimStore();
            var calendar = new EmulatorCalendar { Id = NewId("C"), Name = "Calendar", IsDefault = true };
            store.Calendars[calendar.Id] = calendar;
            _pim[user.Id] = store;
        }

        return store;
    }

    private void MapPim()
    {
        MapContacts();
        MapCalendars();
        MapEvents();
        MapReadBack();
    }

    /// <summary>A page of $top items (default 10, at most 1000) from $skip, with @odata.nextLink to the rest keeping $select and $expand.</summary>
    private static JsonObject Page<T>(HttpContext context, IReadOnlyList<T> all, Func<T, JsonObject> json, string linkPath, string root)
    {
        var top = int.TryParse(context.Request.Query["$top"], out var t) ? Math.Clamp(t, 1, 1000) : 10;
        var skip = int.TryParse(context.Request.Query["$skip"], out var s) ? Math.Max(0, s) : 0;
        var result = new JsonObject { ["value"] = new JsonArray([.. all.Skip(skip).Take(top).Select(i => (JsonNode)json(i))]) };
        if (skip + top < all.Count)
        {
            var query = new List<string> { $"%24top={top}", $"%24skip={skip + top}" };
            foreach (var name in new[] { "$select", "$expand", "$filter" })
            {
                var value = context.Request.Query[name].ToString();
                if (value.Length > 0)
                    query.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
            }

            result["@odata.nextLink"] = $"{root}{linkPath}?{string.Join('&', query)}";
        }

        return result;
    }

    /// <summary>
    /// The item's JSON with only the $select fields (id always), and its extended property when $expand asks in the one
    /// documented form; null with the 400 answer for any other $expand.
    /// </summary>
    private static JsonObject? Project(JsonObject properties, string id, Dictionary<string, string> extended, HttpContext context, out Answer? refusal)
    {
        refusal = null;
        var json = new JsonObject { ["id"] = id };
        var fields = context.Request.Query["$select"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var (name, value) in properties)
        {
            if (fields.Length == 0 || fields.Contains(name, StringComparer.OrdinalIgnoreCase))
                json[name] = value?.DeepClone();
        }

        var expand = context.Request.Query["$expand"].ToString();
        if (expand.Length == 0)
            return json;
        var match = ExpandFilter().Match(expand);
        if (!match.Success || match.Index != 0 || match.Length != expand.Length)
        {
            refusal = Answer.Fail(400, "BadRequest", $"Parsing OData Select and Expand failed: '{expand}' is not supported.");
            return null;
        }

        var propertyId = match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);
        var array = new JsonArray();
        if (extended.TryGetValue(propertyId, out var stored))
            array.Add(new JsonObject { ["id"] = propertyId, ["value"] = stored });
        json["singleValueExtendedProperties"] = array;
        return json;
    }

    /// <summary>A page of projected items, or the refusal of the first item's projection.</summary>
    private static Answer ProjectedPage<T>(HttpContext context, IReadOnlyList<T> all, Func<T, (JsonObject Properties, string Id, Dictionary<string, string> Extended)> parts,
        string linkPath, string root)
    {
        Answer? refusal = null;
        var page = Page(context, all, item =>
        {
            var (properties, id, extended) = parts(item);
            return Project(properties, id, extended, context, out var failed) ?? Refused(failed, ref refusal);
        }, linkPath, root);
        return refusal ?? new Answer(200, page);
    }

    private static JsonObject Refused(Answer? failed, ref Answer? refusal)
    {
        refusal ??= failed;
        return [];
    }

    /// <summary>
    /// Splits a create/update body into the resource's writable properties and its extended properties; a property the
    /// resource does not have is refused as Graph's OData reader refuses it (400 RequestBodyRead).
    /// </summary>
    private static Answer? ReadBody(JsonNode? body, string type, IReadOnlySet<string> writable, out JsonObject properties, out Dictionary<string, string> extended)
    {
        properties = [];
        extended = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (body is not JsonObject json)
            return Answer.Fail(400, "RequestBodyRead", "The request body must be a JSON object.");
        foreach (var (name, value) in json)
        {
            if (name == "@odata.type")
                continue;
            if (name == "singleValueExtendedProperties")
            {
                foreach (var property in value?.AsArray() ?? [])
                {
                    var id = property?["id"]?.GetValue<string>();
                    var text = property?["value"];
                    if (id is null || !ExtendedPropertyId().IsMatch(id) || text is not JsonValue || text.GetValueKind() != System.Text.Json.JsonValueKind.String)
                        return Answer.Fail(400, "ErrorInvalidProperty", $"The extended property '{id}' is not valid.");
                    extended[id] = text.GetValue<string>();
                }

                continue;
            }

            if (!writable.Contains(name))
                return Answer.Fail(400, "RequestBodyRead", $"The property '{name}' does not exist on type 'microsoft.graph.{type}'. Make sure to only use property names that are defined by the type or mark the type as open type.");
            if (value is null && NotNullable.Contains(type + "." + name))
                return Answer.Fail(400, "RequestBodyRead", $"A null value was found for the property named '{name}', which has the expected type that does not allow null values.");
            properties[name] = value?.DeepClone();
        }

        return null;
    }

    /// <summary>
    /// Properties a body may not set to null: collections (OData: a collection-valued property is never null, it is
    /// emptied with []) and an event's start and end. A null elsewhere clears the value, as event-update's example does
    /// with "recurrence": null, and a later GET answers it as null.
    /// </summary>
    private static readonly HashSet<string> NotNullable = new(StringComparer.Ordinal)
    {
        "contact.businessPhones", "contact.categories", "contact.children", "contact.emailAddresses", "contact.homePhones", "contact.imAddresses",
        "event.attendees", "event.categories", "event.locations", "event.start", "event.end",
    };

    private static Answer PimMissing(string what, string id) =>
        Answer.Fail(404, "ErrorItemNotFound", $"The specified {what} '{id}' was not found in the store.");
}
