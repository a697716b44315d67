using Microsoft.Graph.Models;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// The named single-value extended properties the engine writes, one property set for all of them
/// (https://learn.microsoft.com/graph/api/resources/singlevaluelegacyextendedproperty: "{type} {guid} Name {name}").
/// They are read back only in the documented form $expand=singleValueExtendedProperties($filter=id eq '...')
/// (https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get), one id per request.
/// </summary>
internal static class GraphExtendedProperties
{
    private const string Prefix = "String {6c1bd0b9-5c0e-4a8e-9d43-1f8e0b7a2d11} Name ";

    /// <summary>A message's dedup key, so that re-runs without state recognise our copies.</summary>
    public const string DedupKey = Prefix + "MigrationEngineDedupKey";

    /// <summary>The run that owns the mailbox, on msgfolderroot.</summary>
    public const string Owner = Prefix + "MigrationEngineOwner";

    /// <summary>A contact's or event's item key and content hash (<see cref="ItemStamp"/>), so a run without state finds what it wrote.</summary>
    public const string ItemKey = Prefix + "MigrationEngineItemKey";

    /// <summary>An event's organiser and attendees with their responses (JSON), kept instead of sending invitations.</summary>
    public const string Attendees = Prefix + "MigrationEngineAttendees";

    public static string Expand(string id) => $"singleValueExtendedProperties($filter=id eq '{id}')";

    public static string? ValueOf(IEnumerable<SingleValueLegacyExtendedProperty>? properties, string id) =>
        properties?.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase))?.Value;

    public static SingleValueLegacyExtendedProperty Property(string id, string value) => new() { Id = id, Value = value };
}

/// <summary>The value of <see cref="GraphExtendedProperties.ItemKey"/>: the content hash (no spaces), a space, the item key.</summary>
internal static class ItemStamp
{
    public static string Format(string key, string contentHash) => contentHash + " " + key;

    public static (string Key, string? ContentHash)? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return null;
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space <= 0 ? (value, null) : (value[(space + 1)..], value[..space]);
    }
}
