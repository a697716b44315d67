namespace MigrationEngine.Core.Diagnostics;

/// <summary>migrate diff and migrate state (MIG1000-MIG1099).</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor DiffUsage = new("MIG1000", DiagnosticSeverity.Error, "Diff needs two plans or a revision range",
        "migrate diff was given {0}; it compares two plan files, or one plan file at two revisions (--git BASE..HEAD)");

    public static readonly DiagnosticDescriptor DiffGitFailed = new("MIG1001", DiagnosticSeverity.Error, "Plan cannot be read from git",
        "cannot read the plan from git: {0}");

    public static readonly DiagnosticDescriptor DiffPlanMissingAtRevision = new("MIG1002", DiagnosticSeverity.Error, "Plan does not exist at the revision",
        "plan '{0}' does not exist at revision '{1}'");

    public static readonly DiagnosticDescriptor DiffStateMissing = new("MIG1003", DiagnosticSeverity.Error, "State for the diff does not exist",
        "state database '{0}' does not exist");

    public static readonly DiagnosticDescriptor StateTransferFileUnreadable = new("MIG1010", DiagnosticSeverity.Error, "State export file is unusable",
        "the state export file cannot be read: {0}");

    public static readonly DiagnosticDescriptor StateImportWouldOverwrite = new("MIG1011", DiagnosticSeverity.Error, "Destination already has state for the plan",
        "state '{0}' already has state for plan '{1}' ({2})");

    public static readonly DiagnosticDescriptor StateImportPlanMismatch = new("MIG1012", DiagnosticSeverity.Error, "Export is of another plan",
        "the export holds the state of plan '{0}', not of plan '{1}'");
}

public static partial class Diagnose
{
    public static Diagnostic DiffUsage(SourceLocation at, string given, string? hint = null) =>
        DiagnosticCatalog.DiffUsage.Create(at, hint, given);

    public static Diagnostic DiffGitFailed(SourceLocation at, string problem, string? hint = null) =>
        DiagnosticCatalog.DiffGitFailed.Create(at, hint, problem);

    public static Diagnostic DiffPlanMissingAtRevision(SourceLocation at, string planPath, string revision, string? hint = null) =>
        DiagnosticCatalog.DiffPlanMissingAtRevision.Create(at, hint, planPath, revision);

    public static Diagnostic DiffStateMissing(SourceLocation at, string statePath, string? hint = null) =>
        DiagnosticCatalog.DiffStateMissing.Create(at, hint, statePath);

    public static Diagnostic StateTransferFileUnreadable(SourceLocation at, string reason, string? hint = null) =>
        DiagnosticCatalog.StateTransferFileUnreadable.Create(at, hint, reason);

    public static Diagnostic StateImportWouldOverwrite(SourceLocation at, string state, string plan, string existing, string? hint = null) =>
        DiagnosticCatalog.StateImportWouldOverwrite.Create(at, hint, state, plan, existing);

    public static Diagnostic StateImportPlanMismatch(SourceLocation at, string exportedPlan, string plan, string? hint = null) =>
        DiagnosticCatalog.StateImportPlanMismatch.Create(at, hint, exportedPlan, plan);
}
