namespace MigrationEngine.Core.State;

/// <summary>A state export as read back: the plan's whole state and the hash it had when exported.</summary>
public sealed record ExportFile(PlanStateSnapshot Snapshot, string StateHash);
