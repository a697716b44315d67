using System.Text.Json.Serialization;

namespace MigrationEngine.Core.Planning;

/// <summary>The refresh figures a saved plan was computed against: per mailbox its pending and vanished counts and each folder's count and cursor.</summary>
public sealed record SavedRefresh
{
    [JsonPropertyName("mailboxes")]
    public IReadOnlyList<SavedMailboxRefresh> Mailboxes { get; init; } = [];

    /// <summary>Exchange-native migrations: whether the service was read (the step actions it led to are in the plan's steps).</summary>
    [JsonPropertyName("native")]
    public IReadOnlyList<SavedNativeRefresh> Native { get; init; } = [];

    public static SavedRefresh From(RefreshResult refresh) => new()
    {
        Mailboxes = refresh.Mailboxes.Select(m => new SavedMailboxRefresh(m.Migration, m.Mailbox, RefreshWords.Of(m.State), m.PendingMessages, m.Vanished, m.Folders)).ToList(),
        Native = refresh.Native.Select(n => new SavedNativeRefresh(n.Migration, n.Refreshed, n.Note)).ToList(),
    };
}
