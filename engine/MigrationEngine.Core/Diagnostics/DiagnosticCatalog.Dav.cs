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

public static partial class Diagnose
{
    public static Diagnostic DavLoginRefused(SourceLocation at, string origin, string userName, string mailbox, string endpoint, int httpStatus, string? hint = null) =>
        DiagnosticCatalog.DavLoginRefused.Create(at, hint, origin, userName, mailbox, endpoint, httpStatus);

    public static Diagnostic DavUnreachable(SourceLocation at, string origin, string endpoint, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.DavUnreachable.Create(at, hint, origin, endpoint, mailbox, reason);

    public static Diagnostic DavServerBusy(SourceLocation at, string origin, int httpStatus, string request, string mailbox, string? hint = null) =>
        DiagnosticCatalog.DavServerBusy.Create(at, hint, origin, httpStatus, request, mailbox);

    public static Diagnostic DavTimeout(SourceLocation at, string origin, string request, string mailbox, int seconds, string? hint = null) =>
        DiagnosticCatalog.DavTimeout.Create(at, hint, origin, request, mailbox, seconds);

    public static Diagnostic DavRequestRefused(SourceLocation at, string origin, string request, string path, string mailbox, int httpStatus, string? hint = null) =>
        DiagnosticCatalog.DavRequestRefused.Create(at, hint, origin, request, path, mailbox, httpStatus);

    public static Diagnostic DavRedirectRefused(SourceLocation at, string origin, string path, string redirectOrigin, string mailbox, string? hint = null) =>
        DiagnosticCatalog.DavRedirectRefused.Create(at, hint, origin, path, redirectOrigin, mailbox);

    public static Diagnostic DavDiscoveryFailed(SourceLocation at, string origin, string mailbox, string notFound, string reason, string? hint = null) =>
        DiagnosticCatalog.DavDiscoveryFailed.Create(at, hint, origin, mailbox, notFound, reason);

    public static Diagnostic DavAnswerInvalid(SourceLocation at, string origin, string request, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.DavAnswerInvalid.Create(at, hint, origin, request, mailbox, reason);

    public static Diagnostic DavCollectionCreateFailed(SourceLocation at, string collectionKind, string displayName, string mailbox, string origin, int httpStatus, string? hint = null) =>
        DiagnosticCatalog.DavCollectionCreateFailed.Create(at, hint, collectionKind, displayName, mailbox, origin, httpStatus);

    public static Diagnostic DavSettingInvalid(SourceLocation at, string endpoint, string problem, string? hint = null) =>
        DiagnosticCatalog.DavSettingInvalid.Create(at, hint, endpoint, problem);

    public static Diagnostic DavCredentialsMissing(SourceLocation at, string mailbox, string endpoint, string? hint = null) =>
        DiagnosticCatalog.DavCredentialsMissing.Create(at, hint, mailbox, endpoint);

    public static Diagnostic DavSecretUnavailable(SourceLocation at, string endpoint, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.DavSecretUnavailable.Create(at, hint, endpoint, mailbox, reason);
}
