using System.Text.Json.Serialization;

namespace MigrationEngine.Core.Planning;

public sealed record SavedMailboxRefresh(
    [property: JsonPropertyName("migration")] string Migration,
    [property: JsonPropertyName("mailbox")] string Mailbox,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("pending_messages")] long PendingMessages,
    [property: JsonPropertyName("vanished")] long Vanished,
    [property: JsonPropertyName("folders")] IReadOnlyList<FolderFigure> Folders);
