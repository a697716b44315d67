
namespace MigrationEngine.Core.Planning;

/// <summary>
/// What a read-only look at one mailbox's source found, against the state. <see cref="Vanished"/>: messages the ledger recorded as
/// copied that the source no longer holds, at least (deleted there since; they stay in the target).
/// </summary>
public sealed record MailboxRefresh(string Migration, string Mailbox, RefreshState State, long PendingMessages, int FoldersChanged, bool FlagChanges, string? Note, long Vanished = 0)
{
    /// <summary>What each source folder looked like (count and cursor): a saved plan records it, and apply of it compares.</summary>
    public IReadOnlyList<FolderFigure> Folders { get; init; } = [];

    public bool HasPending => PendingMessages > 0 || FlagChanges;
}
