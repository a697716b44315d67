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
        "{0}");

    public static readonly DiagnosticDescriptor UnexpectedFailure = new("MIG0559", DiagnosticSeverity.Error, "Unexpected failure",
        "unexpected {0} in {1}: {2}");

    public static readonly DiagnosticDescriptor SecretUnavailable = new("MIG0560", DiagnosticSeverity.Error, "Secret not available",
        "{0}");

    public static readonly DiagnosticDescriptor FileNotFound = new("MIG0561", DiagnosticSeverity.Error, "File not found",
        "{0} does not exist");

    public static readonly DiagnosticDescriptor Interrupted = new("MIG0562", DiagnosticSeverity.Warning, "Interrupted",
        "apply was interrupted: the message in flight was finished and recorded; run apply again to continue");
}
