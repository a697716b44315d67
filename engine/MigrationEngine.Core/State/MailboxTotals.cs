namespace MigrationEngine.Core.State;

/// <summary>
/// Per-mailbox totals aggregated from the ledger and item events, for status and reports. <see cref="PlacedElsewhere"/>: label
/// folder entries of Gmail messages whose one copy went to another folder.
/// </summary>
public sealed record MailboxTotals(
    string Migration,
    string Mailbox,
    long Copied,
    long BytesCopied,
    long AlreadyPresent,
    long Filtered,
    long BadItems,
    long Warnings,
    long PlacedElsewhere = 0);
