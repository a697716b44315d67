namespace MigrationEngine.Core.State;

/// <summary>A message not copied, and why: skipped by a filter, rejected by the server (bad item), malformed.</summary>
public sealed record ItemEvent
{
    public required string Migration { get; init; }
    public required string Mailbox { get; init; }
    public required string Folder { get; init; }
    public required string SourceId { get; init; }
    /// <summary>filtered, bad-item, warning.</summary>
    public required string Kind { get; init; }
    public required string Reason { get; init; }
    public long Size { get; init; }
    public long RunId { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}
