namespace MigrationEngine.Core.State;

/// <summary>A step's recorded outcome. A step is done when Status is Succeeded and InputHash equals the current one.</summary>
public sealed record StepRecord
{
    public required string StepId { get; init; }
    public required string Kind { get; init; }
    public required string InputHash { get; init; }
    public StepStatus Status { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Diagnostic text of the last failure (never a secret).</summary>
    public string? Error { get; init; }
    /// <summary>Step-specific result as JSON (counts, verify results, Exchange ids).</summary>
    public string? ResultJson { get; init; }
}
