using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Checking;

/// <summary>One side's result: the outcome and, unless it is Ok, the diagnostic that explains it.</summary>
public sealed record ProbeResult(ProbeOutcome Outcome, Diagnostic? Diagnostic = null)
{
    public static ProbeResult Ok { get; } = new(ProbeOutcome.Ok);

    public bool Passed => Outcome is ProbeOutcome.Ok or ProbeOutcome.CreatedByApply or ProbeOutcome.NotChecked;
}
