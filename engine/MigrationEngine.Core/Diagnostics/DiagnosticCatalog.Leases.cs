using MigrationEngine.Core.State;

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

public static partial class Diagnose
{
    public static Diagnostic LeaseLost(SourceLocation at, string mailbox, string migration, string reason, string? hint = null) =>
        DiagnosticCatalog.LeaseLost.Create(at, hint, mailbox, migration, reason);

    public static Diagnostic LockRowDamaged(SourceLocation at, string row, string plan, string problem, string? hint = null) =>
        DiagnosticCatalog.LockRowDamaged.Create(at, hint, row, plan, problem);

    public static Diagnostic LeaseTakenOver(SourceLocation at, string mailbox, string migration, MailboxLease previousHolder, string howItEnded, string? hint = null) =>
        DiagnosticCatalog.LeaseTakenOver.Create(at, hint, mailbox, migration, previousHolder, howItEnded);

    public static Diagnostic LeaseHeld(SourceLocation at, string mailbox, string migration, MailboxLease holder, string? hint = null) =>
        DiagnosticCatalog.LeaseHeld.Create(at, hint, mailbox, migration, holder);

    public static Diagnostic DuplicatesInTarget(SourceLocation at, string mailbox, string folder, int duplicates, string keys, string? hint = null) =>
        DiagnosticCatalog.DuplicatesInTarget.Create(at, hint, mailbox, folder, duplicates, keys);

    public static Diagnostic MailboxHeldElsewhere(SourceLocation at, string mailbox, string migration, string holder, string? hint = null) =>
        DiagnosticCatalog.MailboxHeldElsewhere.Create(at, hint, mailbox, migration, holder);
}
