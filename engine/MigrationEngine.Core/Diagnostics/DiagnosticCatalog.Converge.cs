namespace MigrationEngine.Core.Diagnostics;

/// <summary>Codes MIG1200-MIG1219: apply converging on a saved plan whose world moved since it was reviewed.</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor SourcesMovedSincePlan = new("MIG1200", DiagnosticSeverity.Warning, "Sources changed since the plan was saved",
        "the sources changed since the plan was saved at {0:u}: {1} mailboxes differ from the figures it recorded ({2} new messages then, {3} now): {4}");

    public static readonly DiagnosticDescriptor ServiceMovedSincePlan = new("MIG1201", DiagnosticSeverity.Warning, "Exchange Online changed since the plan was saved",
        "Exchange Online changed since the plan was saved at {0:u}: {1} steps would now do something else: {2}");
}

public static partial class Diagnose
{
    public static Diagnostic SourcesMovedSincePlan(SourceLocation at, DateTimeOffset savedAt, int mailboxesMoved, long pendingThen, long pendingNow, string examples, string? hint = null) =>
        DiagnosticCatalog.SourcesMovedSincePlan.Create(at, hint, savedAt, mailboxesMoved, pendingThen, pendingNow, examples);

    public static Diagnostic ServiceMovedSincePlan(SourceLocation at, DateTimeOffset savedAt, int stepsMoved, string examples, string? hint = null) =>
        DiagnosticCatalog.ServiceMovedSincePlan.Create(at, hint, savedAt, stepsMoved, examples);
}
