namespace MigrationEngine.Core.Diagnostics;

/// <summary>Codes MIG1450-MIG1499: workers applying one plan together through a shared state.</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor WorkersNeedSharedState = new("MIG1450", DiagnosticSeverity.Error, "Workers need a shared state",
        "{0} needs a state that workers on several machines share; {1} is not one");

    public static readonly DiagnosticDescriptor FailedInOtherWorker = new("MIG1451", DiagnosticSeverity.Error, "Mailbox failed in another worker",
        "mailbox {0} in migration {1} failed in another worker of this round: {2}");

    public static readonly DiagnosticDescriptor WorkersExpectedInvalid = new("MIG1452", DiagnosticSeverity.Error, "Invalid number of workers",
        "{0} must be a whole number from 1 to 10000, not '{1}'");

    public static readonly DiagnosticDescriptor ReportsLeftToLastWorker = new("MIG1453", DiagnosticSeverity.Info, "Reports left to the last worker",
        "reports are rendered by the last worker of round {0} to finish (--workers-expected {1}); this worker is not the last");
}

public static partial class Diagnose
{
    public static Diagnostic WorkersNeedSharedState(SourceLocation at, string option, string state, string? hint = null) =>
        DiagnosticCatalog.WorkersNeedSharedState.Create(at, hint, option, state);

    public static Diagnostic FailedInOtherWorker(SourceLocation at, string mailbox, string migration, string error, string? hint = null) =>
        DiagnosticCatalog.FailedInOtherWorker.Create(at, hint, mailbox, migration, error);

    public static Diagnostic WorkersExpectedInvalid(SourceLocation at, string option, string value, string? hint = null) =>
        DiagnosticCatalog.WorkersExpectedInvalid.Create(at, hint, option, value);

    public static Diagnostic ReportsLeftToLastWorker(SourceLocation at, long round, int? expectedWorkers, string? hint = null) =>
        DiagnosticCatalog.ReportsLeftToLastWorker.Create(at, hint, round, expectedWorkers);
}
