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
