using System.Text.Json.Nodes;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>A message the service would have sent on the mailbox's behalf (invitation, update, cancellation).</summary>
public sealed record EmulatorSentMessage(string Mailbox, string Kind, string To, string Subject);

public sealed class EmulatorContactFolder
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    /// <summary>Null for a top-level folder (a child of the default Contacts folder).</summary>
    public string? ParentId { get; init; }
}

public sealed class EmulatorContact
{
    public required string Id { get; init; }
    /// <summary>The default Contacts folder is <see cref="EmulatorPimStore.DefaultContactFolder"/>.</summary>
    public required string FolderId { get; init; }
    public required JsonObject Properties { get; set; }
    public Dictionary<string, string> ExtendedProperties { get; } = new(StringComparer.OrdinalIgnoreCase);
    public byte[]? Photo { get; set; }
    public string? PhotoType { get; set; }
}

public sealed class EmulatorCalendar
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public bool IsDefault { get; init; }
}

public sealed class EmulatorEvent
{
    public required string Id { get; init; }
    public required string CalendarId { get; init; }
    public required JsonObject Properties { get; set; }
    public Dictionary<string, string> ExtendedProperties { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<EmulatorAttachment> Attachments { get; } = [];
    /// <summary>A series' changed (an event) and cancelled (null) occurrences, by original start in UTC.</summary>
    public Dictionary<DateTimeOffset, JsonObject?> Exceptions { get; } = [];

    public string? Subject => Properties["subject"]?.GetValue<string>();
    public bool IsAllDay => Properties["isAllDay"]?.GetValue<bool>() ?? false;
    public JsonObject? Recurrence => Properties["recurrence"] as JsonObject;
    public JsonArray Attendees => Properties["attendees"] as JsonArray ?? [];
}

/// <summary>The contacts and calendars of one mailbox.</summary>
public sealed class EmulatorPimStore
{
    public const string DefaultContactFolder = "contacts";

    public Dictionary<string, EmulatorContactFolder> ContactFolders { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, EmulatorContact> Contacts { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, EmulatorCalendar> Calendars { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, EmulatorEvent> Events { get; } = new(StringComparer.Ordinal);
}
