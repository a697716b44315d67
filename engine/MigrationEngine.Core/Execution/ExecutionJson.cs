using System.Text.Json;
using System.Text.Json.Serialization;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// The JSON the executor writes into state (step results, run summaries), through a source-generated context: the
/// reflection-based serializer would build its metadata and compile its converters on every run, which a no-op pass
/// pays for in start-up time. The readers are the one contract for whoever reads those records back (reports, status):
/// the same types, the same property names, so a field renamed here is renamed for every reader.
/// </summary>
public static class ExecutionJson
{
    /// <summary>A verify step's result; empty when there is none or it cannot be read (written by another build).</summary>
    public static IReadOnlyList<FolderVerification> ReadVerification(string? json) =>
        Read(json, ExecutionJsonContext.Default.ListFolderVerification) ?? [];

    /// <summary>A finished run's summary; null for a run still going or a summary this build cannot read.</summary>
    public static RunSummaryJson? ReadSummary(string? json) => Read(json, ExecutionJsonContext.Default.RunSummaryJson);

    private static T? Read<T>(string? json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            // Written by an older or newer build: the reader shows nothing rather than failing.
            return null;
        }
    }

    /// <summary>
    /// Builds and configures the metadata of every record a run writes, by writing each once (into nothing): the start-up
    /// warm-up calls this on its own core, so a mailbox's first step records do not pay for it on the run's path.
    /// </summary>
    public static void WarmUp()
    {
        FolderCount(0);
        Verification([]);
        JsonSerializer.Serialize(new CountersJson(0, 0, 0, 0, 0, 0), ExecutionJsonContext.Default.CountersJson);
        ReadSummary("{}");
    }

    internal static string FolderCount(int folders) => JsonSerializer.Serialize(new FolderCountJson(folders), ExecutionJsonContext.Default.FolderCountJson);

    internal static string Verification(List<FolderVerification> verification) => JsonSerializer.Serialize(verification, ExecutionJsonContext.Default.ListFolderVerification);

    internal static string Counters(MailboxResult result) => JsonSerializer.Serialize(
        new CountersJson(result.Counters.Copied, result.Counters.BytesCopied, result.Counters.AlreadyPresent, result.Counters.Filtered, result.Counters.BadItems, result.Counters.Warnings),
        ExecutionJsonContext.Default.CountersJson);

    /// <summary>A contacts or calendar step's result: what happened to that kind's items of the mailbox.</summary>
    internal static string PimCounters(PimKindCounters counters) => JsonSerializer.Serialize(counters.ToJson(), ExecutionJsonContext.Default.PimCountersJson);

    internal static string Summary(RunSummary summary) => JsonSerializer.Serialize(
        new RunSummaryJson(summary.RunId, summary.Interrupted, Math.Round(summary.Duration.TotalSeconds, 3), summary.Copied, summary.BytesCopied, summary.AlreadyPresent,
            summary.Filtered, summary.BadItems, summary.Warnings, summary.FailedMailboxes, summary.TargetRequests, summary.RequestsPerMessage, summary.Vanished, summary.Items.ToJson()),
        ExecutionJsonContext.Default.RunSummaryJson);
}

internal sealed record FolderCountJson([property: JsonPropertyName("folders")] int Folders);

internal sealed record CountersJson(
    [property: JsonPropertyName("copied")] long Copied,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("present")] long Present,
    [property: JsonPropertyName("filtered")] long Filtered,
    [property: JsonPropertyName("bad_items")] long BadItems,
    [property: JsonPropertyName("warnings")] long Warnings);

[JsonSerializable(typeof(FolderCountJson))]
[JsonSerializable(typeof(CountersJson))]
[JsonSerializable(typeof(RunSummaryJson))]
[JsonSerializable(typeof(List<FolderVerification>))]
[JsonSerializable(typeof(PimCountersJson))]
internal sealed partial class ExecutionJsonContext : JsonSerializerContext;
