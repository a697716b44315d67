using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Diffing;

/// <summary>A diff that cannot be made (usage, git, a file git cannot serve safely): one diagnostic, printed without a stack trace.</summary>
public sealed class PlanDiffException(Diagnostic diagnostic) : Exception(diagnostic.Message)
{
    public Diagnostic Diagnostic { get; } = diagnostic;
}
