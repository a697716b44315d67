using System.Text.Json.Serialization;

namespace MigrationEngine.Core.Planning;

public sealed record SavedStep(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("input_hash")] string InputHash)
{
    [JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }
}
