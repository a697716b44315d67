using System.Text.Json.Serialization;

namespace MigrationEngine.Core.Execution;

/// <summary>A run's summary as the executor records it (<see cref="State.RunRecord.SummaryJson"/>).</summary>
public sealed record RunSummaryJson(
    [property: JsonPropertyName("run_id")] long RunId,
    [property: JsonPropertyName("interrupted")] bool Interrupted,
    [property: JsonPropertyName("duration_seconds")] double DurationSeconds,
    [property: JsonPropertyName("copied")] long Copied,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("present")] long Present,
    [property: JsonPropertyName("filtered")] long Filtered,
    [property: JsonPropertyName("bad_items")] long BadItems,
    [property: JsonPropertyName("warnings")] long Warnings,
    [property: JsonPropertyName("failed_mailboxes")] long FailedMailboxes,
    [property: JsonPropertyName("target_requests"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? TargetRequests,
    [property: JsonPropertyName("requests_per_message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? RequestsPerMessage,
    [property: JsonPropertyName("vanished"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long Vanished,
    [property: JsonPropertyName("items"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SortedDictionary<string, PimCountersJson>? Items = null);
