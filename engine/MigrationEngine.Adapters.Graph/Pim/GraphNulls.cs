using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>
/// Explicit nulls in an update. PATCH keeps every property the body leaves out (contact-update, event-update: "Existing
/// properties that are not included in the request body maintain their previous values"), so a value the source no longer
/// has must be sent as null to be cleared; event-update's own example sends "recurrence": null. The SDK models are never
/// given null (the backing store writes such a property as an explicit null, in some processes twice, which a strict JSON
/// reader refuses): the request is built from the model as usual and the nulls are added to its JSON body here, once.
/// Only nullable properties are named: OData collections cannot be null, they are cleared with [].
/// </summary>
internal static class GraphNulls
{
    /// <summary>Contact properties the engine manages that take no empty value: Edm.DateTimeOffset (contact resource).</summary>
    public static readonly IReadOnlyList<string> Contact = ["birthday"];

    /// <summary>Event properties the engine manages that take no empty value: the series' pattern (event-update's example).</summary>
    public static readonly IReadOnlyList<string> Event = ["recurrence"];

    /// <summary>Adds "name": null to the request's JSON body for each name the body does not carry.</summary>
    public static void Apply(RequestInformation request, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var reader = new StreamReader(request.Content, leaveOpen: false);
        var body = JsonNode.Parse(reader.ReadToEnd()) as JsonObject
            ?? throw new InvalidOperationException("the update's body is not a JSON object");
        foreach (var name in names)
        {
            if (!body.ContainsKey(name))
                body[name] = null;
        }

        request.Content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(body));
    }
}
