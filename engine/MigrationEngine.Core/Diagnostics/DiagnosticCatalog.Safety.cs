namespace MigrationEngine.Core.Diagnostics;

/// <summary>Hostile-input guards: paths confined to the plan's folder, files that are what they claim, values in range.</summary>
public static partial class DiagnosticCatalog
{
    // MIG023x: plan paths and values
    public static readonly DiagnosticDescriptor PathNotAllowed = new("MIG0230", E, "Path outside the plan's folder", "{0} '{1}' is not allowed: {2}");
    public static readonly DiagnosticDescriptor PlanFileNotUsable = new("MIG0231", E, "Named file is not a usable regular file", "{0} '{1}' cannot be used: {2}");
    public static readonly DiagnosticDescriptor AllowedRootNotAbsolute = new("MIG0232", E, "allowedRoots entry is not absolute", "spec.options.allowedRoots entry '{0}' is not an absolute path");
    public static readonly DiagnosticDescriptor MinutesNotMonths = new("MIG0233", W, "Duration in minutes", "filters.since '{0}' reaches back {1} (d.hh:mm:ss): 'm' means minutes, not months");
    public static readonly DiagnosticDescriptor InvalidFolderPattern = new("MIG0234", E, "Folder pattern is not a valid regular expression", "{0} pattern '{1}' is not a valid regular expression: {2}");

    public static readonly DiagnosticDescriptor TargetOwnedByOther = new("MIG0240", E, "Target mailbox written by another state", "target mailbox {0} is written by {1}; this run is {2}");
    public static readonly DiagnosticDescriptor TargetOwnerUnreadable = new("MIG0241", E, "Target owner marker unreadable", "the target owner marker {0} is not one this engine wrote");

    // MIG122x: owner markers kept by servers
    public static readonly DiagnosticDescriptor TargetOwnerUnsupported = new("MIG1220", W, "Target cannot record its owner",
        "IMAP server {0} (target '{1}') does not offer METADATA (RFC 5464): its mailboxes cannot record which plan and state write to them, so another state writing the same mailboxes is not detected");
    public static readonly DiagnosticDescriptor TargetOwnerNotStored = new("MIG1221", W, "Target refused the owner marker", "IMAP server {0} refused to store the owner marker on mailbox {1}: {2}");

    // MIG123x: files read from git revisions
    public static readonly DiagnosticDescriptor GitFileNotUsable = new("MIG1230", E, "File cannot be read from the git revision", "{0} '{1}' at revision {2} cannot be used: {3}");

    // MIG041x: secret files
    public static readonly DiagnosticDescriptor SecretFileLoosePermissions = new("MIG0410", W, "Secret file readable or writable by others", "secret file '{0}' has mode {1}: other users can read or replace it");

    // MIG082x: file sources
    public static readonly DiagnosticDescriptor MessageFileRefused = new("MIG0820", E, "Message file refused", "message file {0} is not read: {1}");

    // MIG059x: state and the process
    public static readonly DiagnosticDescriptor StateDamaged = new("MIG0590", E, "State cannot be used", "the state cannot be used: {0}");
    public static readonly DiagnosticDescriptor InternalFailure = new("MIG0591", E, "Internal error", "internal error ({0}): {1}");
    public static readonly DiagnosticDescriptor LocalFileFailure = new("MIG0592", E, "Local file cannot be written or read", "a file of the engine's own cannot be used: {0}");

    // MIG062x: IMAP connections
    public static readonly DiagnosticDescriptor ImapPreauthRefused = new("MIG0620", E, "IMAP PREAUTH greeting refused", "IMAP server {0}:{1} (endpoint '{2}') greeted with PREAUTH, logging the connection in as a user the plan did not choose; refused");
    public static readonly DiagnosticDescriptor ImapPhaseTimeout = new("MIG0621", E, "IMAP server stalled", "IMAP server {0}:{1} (endpoint '{2}') did not answer within {3} s during the {4}");
    public static readonly DiagnosticDescriptor ImapHostNotFound = new("MIG0622", E, "IMAP host name does not resolve", "IMAP host '{0}' (endpoint '{1}') does not resolve to an address; not retried");
}

public static partial class Diagnose
{
    public static Diagnostic PathNotAllowed(SourceLocation at, string key, string path, string reason, string? hint = null) =>
        DiagnosticCatalog.PathNotAllowed.Create(at, hint, key, path, reason);

    public static Diagnostic PlanFileNotUsable(SourceLocation at, string key, string path, string problem, string? hint = null) =>
        DiagnosticCatalog.PlanFileNotUsable.Create(at, hint, key, path, problem);

    public static Diagnostic AllowedRootNotAbsolute(SourceLocation at, string root, string? hint = null) =>
        DiagnosticCatalog.AllowedRootNotAbsolute.Create(at, hint, root);

    public static Diagnostic MinutesNotMonths(SourceLocation at, string since, string reachesBack, string? hint = null) =>
        DiagnosticCatalog.MinutesNotMonths.Create(at, hint, since, reachesBack);

    public static Diagnostic InvalidFolderPattern(SourceLocation at, string key, string pattern, string reason, string? hint = null) =>
        DiagnosticCatalog.InvalidFolderPattern.Create(at, hint, key, pattern, reason);

    public static Diagnostic TargetOwnedByOther(SourceLocation at, string mailbox, string owner, string thisRun, string? hint = null) =>
        DiagnosticCatalog.TargetOwnedByOther.Create(at, hint, mailbox, owner, thisRun);

    public static Diagnostic TargetOwnerUnreadable(SourceLocation at, string marker, string? hint = null) =>
        DiagnosticCatalog.TargetOwnerUnreadable.Create(at, hint, marker);

    public static Diagnostic TargetOwnerUnsupported(SourceLocation at, string host, string target, string? hint = null) =>
        DiagnosticCatalog.TargetOwnerUnsupported.Create(at, hint, host, target);

    public static Diagnostic TargetOwnerNotStored(SourceLocation at, string host, string mailbox, string serverText, string? hint = null) =>
        DiagnosticCatalog.TargetOwnerNotStored.Create(at, hint, host, mailbox, serverText);

    public static Diagnostic GitFileNotUsable(SourceLocation at, string key, string path, string revision, string problem, string? hint = null) =>
        DiagnosticCatalog.GitFileNotUsable.Create(at, hint, key, path, revision, problem);

    public static Diagnostic SecretFileLoosePermissions(SourceLocation at, string file, string mode, string? hint = null) =>
        DiagnosticCatalog.SecretFileLoosePermissions.Create(at, hint, file, mode);

    public static Diagnostic MessageFileRefused(SourceLocation at, string file, string problem, string? hint = null) =>
        DiagnosticCatalog.MessageFileRefused.Create(at, hint, file, problem);

    public static Diagnostic StateDamaged(SourceLocation at, string problem, string? hint = null) =>
        DiagnosticCatalog.StateDamaged.Create(at, hint, problem);

    public static Diagnostic InternalFailure(SourceLocation at, string exceptionType, string reason, string? hint = null) =>
        DiagnosticCatalog.InternalFailure.Create(at, hint, exceptionType, reason);

    public static Diagnostic LocalFileFailure(SourceLocation at, string problem, string? hint = null) =>
        DiagnosticCatalog.LocalFileFailure.Create(at, hint, problem);

    public static Diagnostic ImapPreauthRefused(SourceLocation at, string host, int port, string endpoint, string? hint = null) =>
        DiagnosticCatalog.ImapPreauthRefused.Create(at, hint, host, port, endpoint);

    public static Diagnostic ImapPhaseTimeout(SourceLocation at, string host, int port, string endpoint, int seconds, string phase, string? hint = null) =>
        DiagnosticCatalog.ImapPhaseTimeout.Create(at, hint, host, port, endpoint, seconds, phase);

    public static Diagnostic ImapHostNotFound(SourceLocation at, string host, string endpoint, string? hint = null) =>
        DiagnosticCatalog.ImapHostNotFound.Create(at, hint, host, endpoint);
}
