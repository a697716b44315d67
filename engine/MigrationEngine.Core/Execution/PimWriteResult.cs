namespace MigrationEngine.Core.Execution;

/// <summary>
/// Outcome of writing one item: its id in the target, or why the target refused it (a bad item, the mailbox goes on).
/// <see cref="Dropped"/> names what the target could not hold and left out (counted in the report, never silent).
/// </summary>
public sealed record PimWriteResult(string? TargetId, string? RejectionReason = null)
{
    public IReadOnlyList<string> Dropped { get; init; } = [];

    public bool Rejected => RejectionReason is not null;
}
