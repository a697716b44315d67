namespace MigrationEngine.Core.State;

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
