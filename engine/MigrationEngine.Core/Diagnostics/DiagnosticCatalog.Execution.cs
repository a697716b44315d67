using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Diagnostics;

public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor AdapterMissing = new("MIG0550", DiagnosticSeverity.Error, "No adapter for endpoint type",
        "no {0} adapter is available for type '{1}' in this build");

    public static readonly DiagnosticDescriptor MailboxFailed = new("MIG0551", DiagnosticSeverity.Error, "Mailbox failed",
        "mailbox {0} in migration {1} failed: {2}");

    public static readonly DiagnosticDescriptor BadItemLimitExceeded = new("MIG0552", DiagnosticSeverity.Error, "Bad item limit exceeded",
        "mailbox {0}: {1} bad items exceed the badItemLimit of {2}");

    public static readonly DiagnosticDescriptor VerifyMismatch = new("MIG0553", DiagnosticSeverity.Error, "Verification found missing messages",
        "mailbox {0}, folder {1}: {2} of {3} source messages are not in the target");

    public static readonly DiagnosticDescriptor DependencyFailed = new("MIG0554", DiagnosticSeverity.Error, "Dependency failed",
        "migration {0} was not started because migration {1} did not complete");

    public static readonly DiagnosticDescriptor NotImplementedHere = new("MIG0555", DiagnosticSeverity.Error, "Step not available",
        "{0} steps of migration {1} cannot run in this build: {2}");

    public static readonly DiagnosticDescriptor StalePlan = new("MIG0556", DiagnosticSeverity.Error, "Saved plan is stale",
        "the saved plan no longer matches: {0}");

    public static readonly DiagnosticDescriptor PlanLocked = new("MIG0557", DiagnosticSeverity.Error, "Plan is locked",
        "plan '{0}' is being applied by {1}");

    public static readonly DiagnosticDescriptor StateUnavailable = new("MIG0558", DiagnosticSeverity.Error, "State store unavailable",
        "the state store cannot be opened: {0}");

    public static readonly DiagnosticDescriptor UnexpectedFailure = new("MIG0559", DiagnosticSeverity.Error, "Unexpected failure",
        "unexpected {0} in {1}: {2}");

    public static readonly DiagnosticDescriptor SecretUnavailable = new("MIG0560", DiagnosticSeverity.Error, "Secret not available",
        "a secret for mailbox {0} is not available: {1}");

    public static readonly DiagnosticDescriptor FileNotFound = new("MIG0561", DiagnosticSeverity.Error, "File not found",
        "{0} does not exist");

    public static readonly DiagnosticDescriptor Interrupted = new("MIG0562", DiagnosticSeverity.Warning, "Interrupted",
        "apply was interrupted: the message in flight was finished and recorded; run apply again to continue");
}

public static partial class Diagnose
{
    public static Diagnostic AdapterMissing(SourceLocation at, string role, string endpointType, string? hint = null) =>
        DiagnosticCatalog.AdapterMissing.Create(at, hint, role, endpointType);

    public static Diagnostic MailboxFailed(SourceLocation at, string mailbox, string migration, string reason, string? hint = null) =>
        DiagnosticCatalog.MailboxFailed.Create(at, hint, mailbox, migration, reason);

    public static Diagnostic BadItemLimitExceeded(SourceLocation at, string mailbox, long badItems, long limit, string? hint = null) =>
        DiagnosticCatalog.BadItemLimitExceeded.Create(at, hint, mailbox, badItems, limit);

    public static Diagnostic VerifyMismatch(SourceLocation at, string mailbox, string folder, int missing, int expected, string? hint = null) =>
        DiagnosticCatalog.VerifyMismatch.Create(at, hint, mailbox, folder, missing, expected);

    public static Diagnostic DependencyFailed(SourceLocation at, string migration, string dependency, string? hint = null) =>
        DiagnosticCatalog.DependencyFailed.Create(at, hint, migration, dependency);

    public static Diagnostic NotImplementedHere(SourceLocation at, string migrationType, string migration, string reason, string? hint = null) =>
        DiagnosticCatalog.NotImplementedHere.Create(at, hint, migrationType, migration, reason);

    public static Diagnostic StalePlan(SourceLocation at, string reason, string? hint = null) =>
        DiagnosticCatalog.StalePlan.Create(at, hint, reason);

    public static Diagnostic PlanLocked(SourceLocation at, string plan, LockOwner holder, string? hint = null) =>
        DiagnosticCatalog.PlanLocked.Create(at, hint, plan, holder);

    public static Diagnostic StateUnavailable(SourceLocation at, string reason, string? hint = null) =>
        DiagnosticCatalog.StateUnavailable.Create(at, hint, reason);

    public static Diagnostic UnexpectedFailure(SourceLocation at, string exceptionType, string where, string reason, string? hint = null) =>
        DiagnosticCatalog.UnexpectedFailure.Create(at, hint, exceptionType, where, reason);

    public static Diagnostic SecretUnavailable(SourceLocation at, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.SecretUnavailable.Create(at, hint, mailbox, reason);

    public static Diagnostic FileNotFound(SourceLocation at, string path, string? hint = null) =>
        DiagnosticCatalog.FileNotFound.Create(at, hint, path);

    public static Diagnostic Interrupted(SourceLocation at, string? hint = null) =>
        DiagnosticCatalog.Interrupted.Create(at, hint);
}
