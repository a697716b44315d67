using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// The Validate stage's rules over a bound plan, one file per subject. The order matters once: the cross-set rules say
/// "no mailboxes" only when nothing else is wrong, so every rule that can find an error runs before them.
/// </summary>
public static class PlanValidator
{
    public static void Validate(BoundPlan plan, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(plan);
        EndpointRules.Check(plan, diagnostics);
        ReferenceRules.Check(plan, diagnostics);
        MigrationRules.Check(plan, diagnostics);
        SecretRules.Check(plan, diagnostics);
        CsvRules.Check(plan, diagnostics);
        CrossSetRules.Check(plan, diagnostics);
        DependencyCycleRules.Check(plan, diagnostics);
    }
}
