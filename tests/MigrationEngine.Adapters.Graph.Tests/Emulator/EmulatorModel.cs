using System.Text.Json.Nodes;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

public enum FaultKind
{
    /// <summary>429 with Retry-After, the way Exchange Online throttles (https://learn.microsoft.com/graph/throttling).</summary>
    Throttle429,
    /// <summary>503 Service Unavailable with Retry-After.</summary>
    Unavailable503,
    /// <summary>The connection is aborted before the request is processed.</summary>
    DropBeforeProcessing,
    /// <summary>The request is processed (the item is stored) and then the connection is aborted before the answer.</summary>
    DropAfterProcessing,
    /// <summary>Graph's error answer <see cref="FaultRule.Status"/> with <see cref="FaultRule.Code"/>, nothing stored (e.g. 400 ErrorInvalidRecipients).</summary>
    GraphError,
}

/// <summary>Applies <see cref="Kind"/> to the next <see cref="Remaining"/> requests whose method and path match.</summary>
public sealed class FaultRule
{
    public required FaultKind Kind { get; init; }
    public int Remaining { get; set; } = 1;
    public string? PathContains { get; init; }
    public string? Method { get; init; }
    public int RetryAfterSeconds { get; init; } = 1;
    /// <summary>Only requests that run as a step of a $batch (the step is answered in the batch's response).</summary>
    public bool BatchStepsOnly { get; init; }
    /// <summary>For <see cref="FaultKind.GraphError"/>: the status and Graph error code answered.</summary>
    public int Status { get; init; } = 500;
    public string Code { get; init; } = "ErrorInternalServerError";
}

public sealed class EmulatorUser
{
    public required string Id { get; init; }
    public required string UserPrincipalName { get; set; }
    public string? DisplayName { get; set; }
    public string? UsageLocation { get; set; }
    public string? InitialPassword { get; set; }
    public bool? ForceChangePassword { get; set; }
    public List<Guid> Licenses { get; } = [];
    /// <summary>Exchange's addresses with their type prefix: SMTP: the primary, smtp: the others (user resource type, proxyAddresses).</summary>
    public List<string> ProxyAddresses { get; } = [];
    /// <summary>Null: no mailbox (unlicensed); otherwise the time it becomes reachable.</summary>
    public DateTimeOffset? MailboxReadyAt { get; set; }
    public Dictionary<string, EmulatorFolder> Folders { get; } = new(StringComparer.Ordinal);
}

public sealed class EmulatorFolder
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public string? ParentId { get; init; }
    public string? WellKnownName { get; init; }
    public List<EmulatorMessage> Messages { get; } = [];
    public Dictionary<string, string> ExtendedProperties { get; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class EmulatorMessage
{
    public required string Id { get; init; }
    public required string FolderId { get; set; }
    /// <summary>The Graph representation (without attachments and extended properties).</summary>
    public required JsonObject Properties { get; init; }
    /// <summary>The raw MIME when the message came through importMime.</summary>
    public byte[]? Mime { get; init; }
    public Dictionary<string, string> ExtendedProperties { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<EmulatorAttachment> Attachments { get; } = [];

    public bool IsDraft => Properties["isDraft"]?.GetValue<bool>() ?? false;
    public bool IsRead => Properties["isRead"]?.GetValue<bool>() ?? false;
    public string? FlagStatus => Properties["flag"]?["flagStatus"]?.GetValue<string>();
    public string? InternetMessageId => Properties["internetMessageId"]?.GetValue<string>();
    public string? Subject => Properties["subject"]?.GetValue<string>();
}

public sealed record EmulatorAttachment(string Id, string Name, string ContentType, byte[] Content, bool IsInline, bool ViaUploadSession);

public sealed class EmulatorSku
{
    public required Guid SkuId { get; init; }
    public required string SkuPartNumber { get; init; }
    public int Enabled { get; set; }
    public int Consumed { get; set; }
}

internal sealed class UploadSession
{
    public required string Id { get; init; }
    public required string Token { get; init; }
    public required string UserId { get; init; }
    /// <summary>The message the file goes to, or null when it goes to <see cref="EventId"/>.</summary>
    public string? MessageId { get; init; }
    public string? EventId { get; init; }
    public required string Name { get; init; }
    public required string ContentType { get; init; }
    public bool IsInline { get; init; }
    public required byte[] Buffer { get; init; }
    public long Received { get; set; }
}
