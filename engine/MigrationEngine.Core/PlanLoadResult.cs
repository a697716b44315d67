using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core;

/// <summary>The outcome of loading a plan: the model when there are no errors, and every diagnostic, sorted.</summary>
public sealed record PlanLoadResult(PlanModel? Plan, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors { get; } = Diagnostics.Any(d => d.IsError);
}
