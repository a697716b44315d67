namespace MigrationEngine.Core.Diagnostics;

/// <summary>MIG08xx: file sources and targets (mbox, Maildir, EML, PST).</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor FileEndpointPathMissing = new(
        "MIG0801", DiagnosticSeverity.Error, "File endpoint has no path",
        "endpoint '{0}' of type {1} needs an absolute 'path'");

    public static readonly DiagnosticDescriptor FileMailboxNotFound = new(
        "MIG0802", DiagnosticSeverity.Error, "Mailbox data not found",
        "no data for mailbox {0}: expected {1}");

    public static readonly DiagnosticDescriptor NotAnMboxFile = new(
        "MIG0803", DiagnosticSeverity.Error, "Not an mbox file",
        "{0} is not an mbox file: it does not start with a 'From ' line (byte offset 0)");

    public static readonly DiagnosticDescriptor MalformedMessage = new(
        "MIG0804", DiagnosticSeverity.Warning, "Malformed message copied as is",
        "{0} at {1}: {2}");

    public static readonly DiagnosticDescriptor TakeoutAmbiguous = new(
        "MIG0805", DiagnosticSeverity.Error, "Takeout folder holds several mbox files",
        "{0} holds {1} .mbox files; a Takeout mailbox must be exactly one .mbox file");

    public static readonly DiagnosticDescriptor FileReadFailed = new(
        "MIG0806", DiagnosticSeverity.Error, "Cannot read a source file",
        "cannot read {0}: {1}");

    public static readonly DiagnosticDescriptor MessageVanished = new(
        "MIG0807", DiagnosticSeverity.Error, "Message disappeared from the source",
        "message {0} is no longer in {1} (was the source changed during the migration?)");

    public static readonly DiagnosticDescriptor MaildirWriteFailed = new(
        "MIG0808", DiagnosticSeverity.Error, "Cannot write to the Maildir target",
        "cannot write to {0}: {1}");

    public static readonly DiagnosticDescriptor ReadpstMissing = new(
        "MIG0810", DiagnosticSeverity.Error, "readpst is not installed",
        "reading {0} needs the readpst program, which was not found on PATH");

    public static readonly DiagnosticDescriptor PstUnreadable = new(
        "MIG0811", DiagnosticSeverity.Error, "PST file cannot be read",
        "{0} cannot be read as a PST file (readpst exit code {1}): {2}");

    public static readonly DiagnosticDescriptor PstPasswordProtected = new(
        "MIG0812", DiagnosticSeverity.Error, "PST file is password-protected",
        "{0} is password-protected; readpst skipped {1} item(s) it could not read");

    public static readonly DiagnosticDescriptor PstItemsNotMigrated = new(
        "MIG0813", DiagnosticSeverity.Warning, "PST items that are not mail are not migrated",
        "{0}: {1} item(s) that are not mail (contacts, calendar, tasks) and {2} unreadable item(s) are not migrated as mail (contacts and appointments move with items: [contacts, calendar])");

    public static readonly DiagnosticDescriptor UnsupportedFileType = new(
        "MIG0814", DiagnosticSeverity.Error, "Unsupported file endpoint type",
        "endpoint '{0}': type '{1}' is not served by the file adapters (supported: {2})");
}

public static partial class Diagnose
{
    public static Diagnostic FileEndpointPathMissing(SourceLocation at, string endpoint, string endpointType, string? hint = null) =>
        DiagnosticCatalog.FileEndpointPathMissing.Create(at, hint, endpoint, endpointType);

    public static Diagnostic FileMailboxNotFound(SourceLocation at, string mailbox, string expected, string? hint = null) =>
        DiagnosticCatalog.FileMailboxNotFound.Create(at, hint, mailbox, expected);

    public static Diagnostic NotAnMboxFile(SourceLocation at, string path, string? hint = null) =>
        DiagnosticCatalog.NotAnMboxFile.Create(at, hint, path);

    public static Diagnostic MalformedMessage(SourceLocation at, string file, string position, string problem, string? hint = null) =>
        DiagnosticCatalog.MalformedMessage.Create(at, hint, file, position, problem);

    public static Diagnostic TakeoutAmbiguous(SourceLocation at, string directory, int mboxFiles, string? hint = null) =>
        DiagnosticCatalog.TakeoutAmbiguous.Create(at, hint, directory, mboxFiles);

    public static Diagnostic FileReadFailed(SourceLocation at, string file, string reason, string? hint = null) =>
        DiagnosticCatalog.FileReadFailed.Create(at, hint, file, reason);

    public static Diagnostic MessageVanished(SourceLocation at, string messageId, string container, string? hint = null) =>
        DiagnosticCatalog.MessageVanished.Create(at, hint, messageId, container);

    public static Diagnostic MaildirWriteFailed(SourceLocation at, string file, string reason, string? hint = null) =>
        DiagnosticCatalog.MaildirWriteFailed.Create(at, hint, file, reason);

    public static Diagnostic ReadpstMissing(SourceLocation at, string pstFile, string? hint = null) =>
        DiagnosticCatalog.ReadpstMissing.Create(at, hint, pstFile);

    public static Diagnostic PstUnreadable(SourceLocation at, string pstFile, int exitCode, string reason, string? hint = null) =>
        DiagnosticCatalog.PstUnreadable.Create(at, hint, pstFile, exitCode, reason);

    public static Diagnostic PstPasswordProtected(SourceLocation at, string pstFile, int skippedItems, string? hint = null) =>
        DiagnosticCatalog.PstPasswordProtected.Create(at, hint, pstFile, skippedItems);

    public static Diagnostic PstItemsNotMigrated(SourceLocation at, string pstFile, int notMail, int unreadable, string? hint = null) =>
        DiagnosticCatalog.PstItemsNotMigrated.Create(at, hint, pstFile, notMail, unreadable);

    public static Diagnostic UnsupportedFileType(SourceLocation at, string endpoint, string endpointType, string supportedTypes, string? hint = null) =>
        DiagnosticCatalog.UnsupportedFileType.Create(at, hint, endpoint, endpointType, supportedTypes);
}
