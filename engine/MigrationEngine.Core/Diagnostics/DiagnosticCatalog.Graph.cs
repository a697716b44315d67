namespace MigrationEngine.Core.Diagnostics;

/// <summary>MIG07xx: Exchange Online through Microsoft Graph (connection, permissions, mailboxes, provisioning, items).</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor GraphSettingMissing = new(
        "MIG0701", DiagnosticSeverity.Error, "Graph endpoint setting missing",
        "graph endpoint '{0}' needs '{1}'");

    public static readonly DiagnosticDescriptor GraphSettingInvalid = new(
        "MIG0702", DiagnosticSeverity.Error, "Graph endpoint setting invalid",
        "graph endpoint '{0}': {1}");

    public static readonly DiagnosticDescriptor GraphSecretUnavailable = new(
        "MIG0703", DiagnosticSeverity.Error, "Graph credential unavailable",
        "graph endpoint '{0}': {1}");

    public static readonly DiagnosticDescriptor GraphAuthenticationFailed = new(
        "MIG0704", DiagnosticSeverity.Error, "Graph authentication failed",
        "graph endpoint '{0}': the token service refused the application {1} in tenant {2}: {3}");

    public static readonly DiagnosticDescriptor GraphConnectionFailed = new(
        "MIG0705", DiagnosticSeverity.Error, "Graph unreachable",
        "graph endpoint '{0}': cannot reach {1}: {2}");

    public static readonly DiagnosticDescriptor GraphMailboxMissing = new(
        "MIG0706", DiagnosticSeverity.Error, "Target mailbox does not exist",
        "target mailbox {0} does not exist in tenant {1}");

    public static readonly DiagnosticDescriptor GraphPermissionMissing = new(
        "MIG0707", DiagnosticSeverity.Error, "Graph application permission missing",
        "the application {0} may not {1} for {2} in tenant {3}: grant the application permission {4} and admin consent");

    public static readonly DiagnosticDescriptor GraphRequestFailed = new(
        "MIG0708", DiagnosticSeverity.Error, "Graph request failed",
        "{0} for mailbox {1} failed: {2}");

    public static readonly DiagnosticDescriptor GraphLicenseUnavailable = new(
        "MIG0709", DiagnosticSeverity.Error, "No licence available",
        "cannot license {0}: {1}");

    public static readonly DiagnosticDescriptor GraphProvisioningFailed = new(
        "MIG0710", DiagnosticSeverity.Error, "User provisioning failed",
        "cannot provision {0}: {1}");

    public static readonly DiagnosticDescriptor GraphMailboxNotReady = new(
        "MIG0711", DiagnosticSeverity.Error, "Provisioned mailbox not ready",
        "the mailbox of {0} was not ready after {1} s; run again later");

    public static readonly DiagnosticDescriptor GraphMimeFallback = new(
        "MIG0712", DiagnosticSeverity.Warning, "Large message imported as JSON",
        "message {0} ({1} bytes) is larger than importMime accepts; it was imported in json mode (exact MIME not kept)");

    public static readonly DiagnosticDescriptor GraphFolderFailed = new(
        "MIG0713", DiagnosticSeverity.Error, "Cannot create target folder",
        "cannot create folder {0} in mailbox {1}: {2}");

    public static readonly DiagnosticDescriptor GraphMailboxNotEnabled = new(
        "MIG0720", DiagnosticSeverity.Error, "Target user has no Exchange Online mailbox",
        "user {0} exists in tenant {1} but has no Exchange Online mailbox ({2})");

    public static readonly DiagnosticDescriptor GraphMimeUnavailable = new(
        "MIG0250", DiagnosticSeverity.Error, "importMime not offered in this cloud",
        "graph target '{0}' sets importMode: mime, but importMime is offered only in the global service, not in cloud {1}");

    public static readonly DiagnosticDescriptor GraphJsonModeForCloud = new(
        "MIG0251", DiagnosticSeverity.Warning, "json mode in a national cloud",
        "graph target '{0}' imports in json mode: importMime is offered only in the global service, not in cloud {1} (exact MIME bytes, signatures and most headers are not kept)");

    public static readonly DiagnosticDescriptor GraphNoUploadSessions = new(
        "MIG0252", DiagnosticSeverity.Warning, "No upload sessions in this cloud",
        "graph target '{0}': cloud {1} has no createUploadSession for attachments, so a message with an attachment larger than {2} bytes is reported as a bad item, not imported");

    public static readonly DiagnosticDescriptor GraphLicenceWithoutUsageLocation = new(
        "MIG0253", DiagnosticSeverity.Error, "Licences without a usage location",
        "graph target '{0}' assigns licences to the users it creates but sets no provision.usageLocation; Microsoft Graph assigns licences only to users with a usage location");
}

public static partial class Diagnose
{
    public static Diagnostic GraphSettingMissing(SourceLocation at, string endpoint, string setting, string? hint = null) =>
        DiagnosticCatalog.GraphSettingMissing.Create(at, hint, endpoint, setting);

    public static Diagnostic GraphSettingInvalid(SourceLocation at, string endpoint, string problem, string? hint = null) =>
        DiagnosticCatalog.GraphSettingInvalid.Create(at, hint, endpoint, problem);

    public static Diagnostic GraphSecretUnavailable(SourceLocation at, string endpoint, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphSecretUnavailable.Create(at, hint, endpoint, reason);

    public static Diagnostic GraphAuthenticationFailed(SourceLocation at, string endpoint, string clientId, string tenantId, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphAuthenticationFailed.Create(at, hint, endpoint, clientId, tenantId, reason);

    public static Diagnostic GraphConnectionFailed(SourceLocation at, string endpoint, string baseUrl, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphConnectionFailed.Create(at, hint, endpoint, baseUrl, reason);

    public static Diagnostic GraphMailboxMissing(SourceLocation at, string mailbox, string tenantId, string? hint = null) =>
        DiagnosticCatalog.GraphMailboxMissing.Create(at, hint, mailbox, tenantId);

    public static Diagnostic GraphPermissionMissing(SourceLocation at, string clientId, string operation, string mailbox, string tenantId, string permission, string? hint = null) =>
        DiagnosticCatalog.GraphPermissionMissing.Create(at, hint, clientId, operation, mailbox, tenantId, permission);

    public static Diagnostic GraphRequestFailed(SourceLocation at, string operation, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphRequestFailed.Create(at, hint, operation, mailbox, reason);

    public static Diagnostic GraphLicenseUnavailable(SourceLocation at, string user, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphLicenseUnavailable.Create(at, hint, user, reason);

    public static Diagnostic GraphProvisioningFailed(SourceLocation at, string user, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphProvisioningFailed.Create(at, hint, user, reason);

    public static Diagnostic GraphMailboxNotReady(SourceLocation at, string user, int seconds, string? hint = null) =>
        DiagnosticCatalog.GraphMailboxNotReady.Create(at, hint, user, seconds);

    public static Diagnostic GraphMimeFallback(SourceLocation at, string messageId, long bytes, string? hint = null) =>
        DiagnosticCatalog.GraphMimeFallback.Create(at, hint, messageId, bytes);

    public static Diagnostic GraphFolderFailed(SourceLocation at, string folder, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphFolderFailed.Create(at, hint, folder, mailbox, reason);

    public static Diagnostic GraphMailboxNotEnabled(SourceLocation at, string user, string tenantId, string graphError, string? hint = null) =>
        DiagnosticCatalog.GraphMailboxNotEnabled.Create(at, hint, user, tenantId, graphError);

    public static Diagnostic GraphMimeUnavailable(SourceLocation at, string target, string cloud, string? hint = null) =>
        DiagnosticCatalog.GraphMimeUnavailable.Create(at, hint, target, cloud);

    public static Diagnostic GraphJsonModeForCloud(SourceLocation at, string target, string cloud, string? hint = null) =>
        DiagnosticCatalog.GraphJsonModeForCloud.Create(at, hint, target, cloud);

    public static Diagnostic GraphNoUploadSessions(SourceLocation at, string target, string cloud, long inlineAttachmentLimit, string? hint = null) =>
        DiagnosticCatalog.GraphNoUploadSessions.Create(at, hint, target, cloud, inlineAttachmentLimit);

    public static Diagnostic GraphLicenceWithoutUsageLocation(SourceLocation at, string target, string? hint = null) =>
        DiagnosticCatalog.GraphLicenceWithoutUsageLocation.Create(at, hint, target);
}
