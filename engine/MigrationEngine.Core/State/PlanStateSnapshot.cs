namespace MigrationEngine.Core.State;

/// <summary>A ledger entry with the id its store gave it (ids order a folder's history and feed the state hash).</summary>
public sealed record LedgerRow(long Id, LedgerEntry Entry);

/// <summary>A folder cursor with its key.</summary>
public sealed record CursorRow(string Migration, string Mailbox, string Folder, FolderCursor Cursor);

/// <summary>Everything recorded for one plan, for moving it between stores (<c>migrate state export/import</c>).</summary>
public sealed record PlanStateSnapshot(
    string PlanName,
    IReadOnlyList<RunRecord> Runs,
    IReadOnlyList<StepRecord> Steps,
    IReadOnlyList<LedgerRow> Ledger,
    IReadOnlyList<ItemEvent> ItemEvents,
    IReadOnlyList<CursorRow> Cursors)
{
    public bool IsEmpty => Runs.Count == 0 && Steps.Count == 0 && Ledger.Count == 0 && ItemEvents.Count == 0 && Cursors.Count == 0;
}
