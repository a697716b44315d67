namespace MigrationEngine.Core.Diagnostics;

/// <summary>MIG1670-MIG1699: CardDAV/CalDAV sources and targets (type: dav). Messages never carry a password or header.</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor DavLoginRefused = new(
        "MIG1670", DiagnosticSeverity.Error, "DAV server refused the login",
        "DAV server {0} refused the login of '{1}' for mailbox {2} (endpoint '{3}'): HTTP {4}");

    public static readonly DiagnosticDescriptor DavUnreachable = new(
        "MIG1671", DiagnosticSeverity.Error, "DAV server unreachable",
        "cannot reach DAV server {0} (endpoint '{1}', mailbox {2}): {3}");

    public static readonly DiagnosticDescriptor DavServerBusy = new(
        "MIG1672", DiagnosticSeverity.Error, "DAV server failed or is busy",
        "DAV server {0} answered {1} to {2} for mailbox {3}; the request is tried again later");

    public static readonly DiagnosticDescriptor DavTimeout = new(
        "MIG1673", DiagnosticSeverity.Error, "DAV request timed out",
        "DAV server {0} did not answer {1} for mailbox {2} within {3} s");

    public static readonly DiagnosticDescriptor DavRequestRefused = new(
        "MIG1674", DiagnosticSeverity.Error, "DAV server refused a request",
        "DAV server {0} refused {1} {2} for mailbox {3}: HTTP {4}");

    public static readonly DiagnosticDescriptor DavRedirectRefused = new(
        "MIG1675", DiagnosticSeverity.Error, "DAV redirect to another origin not followed",
        "DAV server {0} redirected {1} to another origin ({2}) for mailbox {3}; only redirects within the same scheme, host and port are followed");

    public static readonly DiagnosticDescriptor DavDiscoveryFailed = new(
        "MIG1676", DiagnosticSeverity.Error, "DAV discovery found no home",
        "DAV discovery on {0} for mailbox {1} found no {2}: {3}");

    public static readonly DiagnosticDescriptor DavAnswerInvalid = new(
        "MIG1677", DiagnosticSeverity.Error, "DAV server answer cannot be read",
        "DAV server {0} answered {1} for mailbox {2} with a body that is not a WebDAV multistatus: {3}");

    public static readonly DiagnosticDescriptor DavCollectionCreateFailed = new(
        "MIG1678", DiagnosticSeverity.Error, "DAV collection cannot be created",
        "cannot create {0} '{1}' for mailbox {2} on {3}: HTTP {4}");

    public static readonly DiagnosticDescriptor DavSettingInvalid = new(
        "MIG1679", DiagnosticSeverity.Error, "DAV endpoint setting invalid",
        "endpoint '{0}' of type dav: {1}");

    public static readonly DiagnosticDescriptor DavCredentialsMissing = new(
        "MIG1680", DiagnosticSeverity.Error, "DAV credentials missing",
        "no password is configured for mailbox {0} on endpoint '{1}'");

    public static readonly DiagnosticDescriptor DavSecretUnavailable = new(
        "MIG1681", DiagnosticSeverity.Error, "DAV credential unavailable",
        "endpoint '{0}', mailbox {1}: {2}");
}
