using System.Text.Json.Serialization;

namespace MigrationEngine.Core.Execution;

/// <summary>One item kind's figures in a step result or a run summary.</summary>
public sealed record PimCountersJson(
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("present")] long Present,
    [property: JsonPropertyName("updated")] long Updated,
    [property: JsonPropertyName("bad_items")] long BadItems,
    [property: JsonPropertyName("collections")] long Collections,
    [property: JsonPropertyName("dropped"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SortedDictionary<string, long>? Dropped);
