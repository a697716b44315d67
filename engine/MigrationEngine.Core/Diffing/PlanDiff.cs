namespace MigrationEngine.Core.Diffing;

/// <summary>The semantic difference between two versions of a plan, in a stable order (category, subject, field).</summary>
public sealed record PlanDiff(string OldDisplay, string NewDisplay, string PlanName, IReadOnlyList<PlanChange> Changes)
{
    public bool HasChanges => Changes.Count > 0;

    /// <summary>Where risks came from (a state location), or null when no state was consulted.</summary>
    public string? StateLocation { get; init; }

    public int RiskCount => Changes.Count(c => c.Risk is not null);
}
