namespace MigrationEngine.Core.Diagnostics;

/// <summary>MIG1240-MIG1259: Graph target, per message and per user (permanent refusals, flag state, user lookup, ownership).</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor GraphItemRefused = new(
        "MIG1240", DiagnosticSeverity.Error, "Graph refused a message permanently",
        "Graph refused message {0} for mailbox {1}: {2}");

    public static readonly DiagnosticDescriptor GraphFlagStateRefused = new(
        "MIG1241", DiagnosticSeverity.Warning, "Read/flag state not set",
        "message {0} was copied to mailbox {1} but Graph refused its read/flag state: {2}");

    public static readonly DiagnosticDescriptor GraphAddressAmbiguous = new(
        "MIG1242", DiagnosticSeverity.Error, "Target address names several users",
        "target address {0} is the mail or a proxy address of {1} users in tenant {2}: {3}");

    public static readonly DiagnosticDescriptor GraphLicensingExistingUser = new(
        "MIG1243", DiagnosticSeverity.Info, "Licensing a user without a mailbox",
        "user {0} has no mailbox yet; assigning the plan's licences {1} and waiting for the mailbox");

}

public static partial class Diagnose
{
    public static Diagnostic GraphItemRefused(SourceLocation at, string messageId, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphItemRefused.Create(at, hint, messageId, mailbox, reason);

    public static Diagnostic GraphFlagStateRefused(SourceLocation at, string messageId, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphFlagStateRefused.Create(at, hint, messageId, mailbox, reason);

    public static Diagnostic GraphAddressAmbiguous(SourceLocation at, string address, int users, string tenantId, string userPrincipalNames, string? hint = null) =>
        DiagnosticCatalog.GraphAddressAmbiguous.Create(at, hint, address, users, tenantId, userPrincipalNames);

    public static Diagnostic GraphLicensingExistingUser(SourceLocation at, string user, string licences, string? hint = null) =>
        DiagnosticCatalog.GraphLicensingExistingUser.Create(at, hint, user, licences);
}
