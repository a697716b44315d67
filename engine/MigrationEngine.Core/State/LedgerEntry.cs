namespace MigrationEngine.Core.State;

/// <summary>One copied (or found already present) message in the per-message ledger.</summary>
public sealed record LedgerEntry
{
    public required string Migration { get; init; }
    /// <summary>Target address of the mailbox (lower case): mailbox identity across the plan.</summary>
    public required string Mailbox { get; init; }
    /// <summary>Source folder path ('/' delimited).</summary>
    public required string Folder { get; init; }
    /// <summary>Source folder identity at copy time (UIDVALIDITY), 0 when the source has none.</summary>
    public long FolderValidity { get; init; }
    public required string SourceId { get; init; }
    public string? MessageId { get; init; }
    public required string DedupKey { get; init; }
    /// <summary>SHA-256 (hex) of the raw message; null when found already present in the target.</summary>
    public string? Sha256 { get; init; }
    public long Size { get; init; }
    public required string TargetFolder { get; init; }
    public string? TargetId { get; init; }
    /// <summary>copied, present (found in the target without ledger), or another outcome word.</summary>
    public string Outcome { get; init; } = LedgerOutcomes.Copied;
    public DateTimeOffset RecordedAt { get; init; }
    public long RunId { get; init; }
}
