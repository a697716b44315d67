namespace MigrationEngine.Core.State;

public sealed record RunRecord(long RunId, string PlanName, string Command, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Outcome, string? SummaryJson);
