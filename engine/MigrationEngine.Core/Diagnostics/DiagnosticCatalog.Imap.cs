namespace MigrationEngine.Core.Diagnostics;

/// <summary>MIG06xx: IMAP sources and targets (connection, TLS, authentication, throttling, folders, messages).</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor ImapAuthenticationFailed = new(
        "MIG0601", DiagnosticSeverity.Error, "IMAP authentication failed",
        "authentication failed for mailbox {0} on {1}:{2} as user '{3}': {4}");

    public static readonly DiagnosticDescriptor ImapConnectionFailed = new(
        "MIG0602", DiagnosticSeverity.Error, "IMAP server unreachable",
        "cannot connect to IMAP server {0}:{1} (endpoint '{2}', mailbox {3}): {4}");

    public static readonly DiagnosticDescriptor ImapTlsFailed = new(
        "MIG0603", DiagnosticSeverity.Error, "IMAP TLS handshake failed",
        "TLS handshake with {0}:{1} failed (endpoint '{2}'): {3}");

    public static readonly DiagnosticDescriptor ImapThrottled = new(
        "MIG0604", DiagnosticSeverity.Warning, "IMAP server throttling",
        "IMAP server {0}:{1} is throttling mailbox {2}: {3}");

    public static readonly DiagnosticDescriptor ImapConnectionLost = new(
        "MIG0605", DiagnosticSeverity.Error, "IMAP connection lost",
        "connection to {0}:{1} was lost during {2} for mailbox {3}: {4}");

    public static readonly DiagnosticDescriptor ImapCommandRefused = new(
        "MIG0606", DiagnosticSeverity.Error, "IMAP command refused",
        "IMAP server {0}:{1} refused {2} for mailbox {3}: {4}");

    public static readonly DiagnosticDescriptor ImapFolderCreateFailed = new(
        "MIG0607", DiagnosticSeverity.Error, "IMAP folder cannot be created",
        "cannot create folder '{0}' for mailbox {1} on {2}:{3}: {4}");

    public static readonly DiagnosticDescriptor ImapCredentialsMissing = new(
        "MIG0608", DiagnosticSeverity.Error, "IMAP credentials missing",
        "no {0} is configured for mailbox {1} on endpoint '{2}'");

    public static readonly DiagnosticDescriptor ImapSecretUnavailable = new(
        "MIG0609", DiagnosticSeverity.Error, "IMAP credential unavailable",
        "endpoint '{0}', mailbox {1}: {2}");

    public static readonly DiagnosticDescriptor ImapOAuthTokenFailed = new(
        "MIG0610", DiagnosticSeverity.Error, "IMAP OAuth2 token unavailable",
        "cannot obtain an OAuth2 token for endpoint '{0}' (application {1}, tenant {2}): {3}");

    public static readonly DiagnosticDescriptor ImapFolderMissing = new(
        "MIG0611", DiagnosticSeverity.Error, "IMAP folder missing",
        "folder '{0}' of mailbox {1} no longer exists on {2}:{3}");

    public static readonly DiagnosticDescriptor ImapSettingInvalid = new(
        "MIG0612", DiagnosticSeverity.Error, "IMAP endpoint setting invalid",
        "IMAP endpoint '{0}': {1}");

    public static readonly DiagnosticDescriptor ImapKeywordDropped = new(
        "MIG0613", DiagnosticSeverity.Warning, "IMAP keyword not stored",
        "folder '{0}' of mailbox {1} does not accept keyword '{2}'; the message was copied without it");

    public static readonly DiagnosticDescriptor GoogleServiceAccountKeyInvalid = new(
        "MIG0641", DiagnosticSeverity.Error, "Google service account key unusable",
        "the service account key {0} of endpoint '{1}' cannot be used: {2}");

    public static readonly DiagnosticDescriptor GoogleTokenEndpointRejected = new(
        "MIG0642", DiagnosticSeverity.Error, "Google token endpoint not allowed",
        "the token_uri of service account key {0} (endpoint '{1}') is not an https address: {2}");

    public static readonly DiagnosticDescriptor GoogleTokenRefused = new(
        "MIG0643", DiagnosticSeverity.Error, "Google token refused",
        "Google refused a token for mailbox {0} to service account {1} (endpoint '{2}'): {3}");

    public static readonly DiagnosticDescriptor GoogleTokenEndpointUnreachable = new(
        "MIG0644", DiagnosticSeverity.Error, "Google token endpoint unreachable",
        "cannot reach the token endpoint {0} for mailbox {1} (endpoint '{2}'): {3}");
}

public static partial class Diagnose
{
    public static Diagnostic ImapAuthenticationFailed(SourceLocation at, string mailbox, string host, int port, string login, string serverText, string? hint = null) =>
        DiagnosticCatalog.ImapAuthenticationFailed.Create(at, hint, mailbox, host, port, login, serverText);

    public static Diagnostic ImapConnectionFailed(SourceLocation at, string host, int port, string endpoint, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.ImapConnectionFailed.Create(at, hint, host, port, endpoint, mailbox, reason);

    public static Diagnostic ImapTlsFailed(SourceLocation at, string host, int port, string endpoint, string problem, string? hint = null) =>
        DiagnosticCatalog.ImapTlsFailed.Create(at, hint, host, port, endpoint, problem);

    public static Diagnostic ImapThrottled(SourceLocation at, string host, int port, string mailbox, string serverText, string? hint = null) =>
        DiagnosticCatalog.ImapThrottled.Create(at, hint, host, port, mailbox, serverText);

    public static Diagnostic ImapConnectionLost(SourceLocation at, string host, int port, string operation, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.ImapConnectionLost.Create(at, hint, host, port, operation, mailbox, reason);

    public static Diagnostic ImapCommandRefused(SourceLocation at, string host, int port, string operation, string mailbox, string serverText, string? hint = null) =>
        DiagnosticCatalog.ImapCommandRefused.Create(at, hint, host, port, operation, mailbox, serverText);

    public static Diagnostic ImapFolderCreateFailed(SourceLocation at, string folder, string mailbox, string host, int port, string serverText, string? hint = null) =>
        DiagnosticCatalog.ImapFolderCreateFailed.Create(at, hint, folder, mailbox, host, port, serverText);

    public static Diagnostic ImapCredentialsMissing(SourceLocation at, string setting, string mailbox, string endpoint, string? hint = null) =>
        DiagnosticCatalog.ImapCredentialsMissing.Create(at, hint, setting, mailbox, endpoint);

    public static Diagnostic ImapSecretUnavailable(SourceLocation at, string endpoint, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.ImapSecretUnavailable.Create(at, hint, endpoint, mailbox, reason);

    public static Diagnostic ImapOAuthTokenFailed(SourceLocation at, string endpoint, string clientId, string tenantId, string reason, string? hint = null) =>
        DiagnosticCatalog.ImapOAuthTokenFailed.Create(at, hint, endpoint, clientId, tenantId, reason);

    public static Diagnostic ImapFolderMissing(SourceLocation at, string folder, string mailbox, string host, int port, string? hint = null) =>
        DiagnosticCatalog.ImapFolderMissing.Create(at, hint, folder, mailbox, host, port);

    public static Diagnostic ImapSettingInvalid(SourceLocation at, string endpoint, string problem, string? hint = null) =>
        DiagnosticCatalog.ImapSettingInvalid.Create(at, hint, endpoint, problem);

    public static Diagnostic ImapKeywordDropped(SourceLocation at, string folder, string mailbox, string keyword, string? hint = null) =>
        DiagnosticCatalog.ImapKeywordDropped.Create(at, hint, folder, mailbox, keyword);

    public static Diagnostic GoogleServiceAccountKeyInvalid(SourceLocation at, string keyReference, string endpoint, string cause, string? hint = null) =>
        DiagnosticCatalog.GoogleServiceAccountKeyInvalid.Create(at, hint, keyReference, endpoint, cause);

    public static Diagnostic GoogleTokenEndpointRejected(SourceLocation at, string keyReference, string endpoint, string tokenUri, string? hint = null) =>
        DiagnosticCatalog.GoogleTokenEndpointRejected.Create(at, hint, keyReference, endpoint, tokenUri);

    public static Diagnostic GoogleTokenRefused(SourceLocation at, string mailbox, string serviceAccount, string endpoint, string cause, string? hint = null) =>
        DiagnosticCatalog.GoogleTokenRefused.Create(at, hint, mailbox, serviceAccount, endpoint, cause);

    public static Diagnostic GoogleTokenEndpointUnreachable(SourceLocation at, Uri tokenUri, string mailbox, string endpoint, string cause, string? hint = null) =>
        DiagnosticCatalog.GoogleTokenEndpointUnreachable.Create(at, hint, tokenUri, mailbox, endpoint, cause);
}
