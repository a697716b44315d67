using System.Text.Json.Serialization;

namespace MigrationEngine.Core.Planning;

public sealed record SavedNativeRefresh(
    [property: JsonPropertyName("migration")] string Migration,
    [property: JsonPropertyName("refreshed")] bool Refreshed,
    [property: JsonPropertyName("note")] string? Note);
