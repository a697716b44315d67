namespace MigrationEngine.Core.Diagnostics;

/// <summary>Codes MIG0570-MIG0589: mailbox leases, the plan lock's rows, and what verification finds beyond missing mail.</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor LeaseLost = new("MIG0570", DiagnosticSeverity.Error, "Mailbox lease lost",
        "mailbox {0} in migration {1} stopped: {2}");

    public static readonly DiagnosticDescriptor LockRowDamaged = new("MIG0571", DiagnosticSeverity.Error, "Lock or lease row damaged",
        "the {0} of plan '{1}' in the state cannot be read: {2}");

    public static readonly DiagnosticDescriptor LeaseTakenOver = new("MIG0572", DiagnosticSeverity.Warning, "Lease taken over",
        "mailbox {0} in migration {1}: took over the lease of {2} ({3})");

    public static readonly DiagnosticDescriptor LeaseHeld = new("MIG0573", DiagnosticSeverity.Error, "Lease held by a live holder",
        "mailbox {0} in migration {1} is held by {2}, which is still live");

    public static readonly DiagnosticDescriptor DuplicatesInTarget = new("MIG0574", DiagnosticSeverity.Error, "Duplicates in the target",
        "mailbox {0}, folder {1}: {2} messages are in the target more than once ({3})");

    public static readonly DiagnosticDescriptor MailboxHeldElsewhere = new("MIG0575", DiagnosticSeverity.Warning, "Mailbox run by another apply",
        "mailbox {0} in migration {1} was not run here: {2} held it until this run stopped");
}
