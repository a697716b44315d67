using System.Text.Json;
using System.Text.Json.Serialization;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// The JSON the executor writes into state (step results, run summaries), through a source-generated context: the
/// reflection-based serializer would build its metadata and compile its converters on every run, which a no-op pass
/// pays for in start-up time.
/// </summary>
internal static class ExecutionJson
{
    public static string FolderCount(int folders) => JsonSerializer.Serialize(new FolderCountJson(folders), ExecutionJsonContext.Default.FolderCountJson);

    public static string Verification(List<FolderVerification> verification) => JsonSerializer.Serialize(verification, ExecutionJsonContext.Default.ListFolderVerification);

    public static string Counters(MailboxResult result) => JsonSerializer.Serialize(
        new CountersJson(result.Counters.Copied, result.Counters.BytesCopied, result.Counters.AlreadyPresent, result.Counters.Filtered, result.Counters.BadItems, result.Counters.Warnings),
        ExecutionJsonContext.Default.CountersJson);

    /// <summary>A contacts or calendar step's result: what happened to that kind's items of the mailbox.</summary>
    public static string PimCounters(PimKindCounters counters) => JsonSerializer.Serialize(counters.ToJson(), ExecutionJsonContext.Default.PimCountersJson);

    public static string Summary(RunSummary summary) => JsonSerializer.Serialize(
        new SummaryJson(summary.RunId, summary.Interrupted, Math.Round(summary.Duration.TotalSeconds, 3), summary.Copied, summary.BytesCopied, summary.AlreadyPresent,
            summary.Filtered, summary.BadItems, summary.Warnings, summary.FailedMailboxes, summary.TargetRequests, summary.RequestsPerMessage, summary.Vanished, summary.Items.ToJson()),
        ExecutionJsonContext.Default.SummaryJson);
}

internal sealed record FolderCountJson([property: JsonPropertyName("folders")] int Folders);

internal sealed record CountersJson(
    [property: JsonPropertyName("copied")] long Copied,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("present")] long Present,
    [property: JsonPropertyName("filtered")] long Filtered,
    [property: JsonPropertyName("bad_items")] long BadItems,
    [property: JsonPropertyName("warnings")] long Warnings);

internal sealed record SummaryJson(
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

[JsonSerializable(typeof(FolderCountJson))]
[JsonSerializable(typeof(CountersJson))]
[JsonSerializable(typeof(SummaryJson))]
[JsonSerializable(typeof(List<FolderVerification>))]
[JsonSerializable(typeof(PimCountersJson))]
internal sealed partial class ExecutionJsonContext : JsonSerializerContext;
