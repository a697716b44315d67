namespace MigrationEngine.Core.Diagnostics;

/// <summary>MIG13xx: what <c>validate --resolve</c> and <c>check</c> find before an apply (secrets, files, logins), and CSV passwords.</summary>
public static partial class DiagnosticCatalog
{
    // MIG130x: references resolved offline (validate --resolve, check)
    public static readonly DiagnosticDescriptor SecretVariableUnset = new("MIG1300", E, "Secret variable not set",
        "secret {0} for {1} is not set in the environment{2}");
    public static readonly DiagnosticDescriptor SecretFileUnusable = new("MIG1301", E, "Secret file missing or unreadable",
        "secret {0} for {1}: {2}{3}");
    public static readonly DiagnosticDescriptor CaFileUnusable = new("MIG1302", E, "caFile missing or not a PEM certificate",
        "caFile '{0}' of endpoint '{1}' {2}");
    public static readonly DiagnosticDescriptor ReportTemplateMissing = new("MIG1303", E, "Report template not found",
        "report template '{0}' {1}");
    public static readonly DiagnosticDescriptor FileEndpointMissing = new("MIG1304", E, "Endpoint path does not exist",
        "{0} '{1}' path '{2}' does not exist");

    // MIG131x: check (logins and mailboxes)
    public static readonly DiagnosticDescriptor CheckMailboxUnknown = new("MIG1310", E, "--mailbox names no mailbox of the plan",
        "no mailbox of the plan has the source or target address '{0}'");
    public static readonly DiagnosticDescriptor CheckTimedOut = new("MIG1312", E, "Check timed out",
        "{0} {1} did not answer within {2} s");

    // MIG132x: mailbox CSV files
    public static readonly DiagnosticDescriptor CsvPlaintextPasswordsAccepted = new("MIG1320", W, "Plain passwords accepted from a CSV",
        "{0}: {1:N0} row(s) hold plain passwords, accepted because {2}; keep this CSV out of version control");
    public static readonly DiagnosticDescriptor CsvWrongDelimiter = new("MIG1321", E, "CSV separated by another character",
        "the header is one column holding '{0}' separators; mailbox CSVs are comma-separated");
}

public static partial class Diagnose
{
    public static Diagnostic SecretVariableUnset(SourceLocation at, string reference, string usedBy, string moreUses, string? hint = null) =>
        DiagnosticCatalog.SecretVariableUnset.Create(at, hint, reference, usedBy, moreUses);

    public static Diagnostic SecretFileUnusable(SourceLocation at, string reference, string usedBy, string problem, string moreUses, string? hint = null) =>
        DiagnosticCatalog.SecretFileUnusable.Create(at, hint, reference, usedBy, problem, moreUses);

    public static Diagnostic CaFileUnusable(SourceLocation at, string caFile, string endpoint, string problem, string? hint = null) =>
        DiagnosticCatalog.CaFileUnusable.Create(at, hint, caFile, endpoint, problem);

    public static Diagnostic ReportTemplateMissing(SourceLocation at, string template, string problem, string? hint = null) =>
        DiagnosticCatalog.ReportTemplateMissing.Create(at, hint, template, problem);

    public static Diagnostic FileEndpointMissing(SourceLocation at, string endpointType, string endpoint, string path, string? hint = null) =>
        DiagnosticCatalog.FileEndpointMissing.Create(at, hint, endpointType, endpoint, path);

    public static Diagnostic CheckMailboxUnknown(SourceLocation at, string address, string? hint = null) =>
        DiagnosticCatalog.CheckMailboxUnknown.Create(at, hint, address);

    public static Diagnostic CheckTimedOut(SourceLocation at, string side, string endpointAndMailbox, int seconds, string? hint = null) =>
        DiagnosticCatalog.CheckTimedOut.Create(at, hint, side, endpointAndMailbox, seconds);

    public static Diagnostic CsvPlaintextPasswordsAccepted(SourceLocation at, string csvFile, long rows, string acceptedBecause, string? hint = null) =>
        DiagnosticCatalog.CsvPlaintextPasswordsAccepted.Create(at, hint, csvFile, rows, acceptedBecause);

    public static Diagnostic CsvWrongDelimiter(SourceLocation at, string separator, string? hint = null) =>
        DiagnosticCatalog.CsvWrongDelimiter.Create(at, hint, separator);
}
