namespace MigrationEngine.Core.Diffing;

/// <summary>
/// One semantic change. <see cref="Category"/> is plan, source, target, mailboxSet, mailbox, migration or report;
/// <see cref="Subject"/> names the thing (endpoint, set or migration name, mailbox source address, report output);
/// <see cref="Field"/> the setting for <see cref="PlanChangeKind.Changed"/> (dotted, e.g. <c>auth.password</c>, <c>filters.since</c>).
/// Values are display text: secrets show as their reference (<c>env:NAME</c>, <c>file:PATH</c>) or <c>&lt;literal secret&gt;</c>, never a value.
/// </summary>
public sealed record PlanChange(string Category, string Subject, PlanChangeKind Kind, string? Field = null, string? Before = null, string? After = null)
{
    /// <summary>Why this change is risky given the work already recorded in state; null when it is not (or state is unknown).</summary>
    public string? Risk { get; init; }

    /// <summary>For mailbox changes: the target address the mailbox had in the old plan (state is keyed by it).</summary>
    public string? OldTarget { get; init; }

    public string KindText => Kind switch
    {
        PlanChangeKind.Added => "added",
        PlanChangeKind.Removed => "removed",
        PlanChangeKind.Changed => "changed",
        PlanChangeKind.Moved => "moved",
        PlanChangeKind.Retargeted => "retargeted",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };
}
