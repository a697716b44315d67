using System.Collections.Concurrent;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// Folders this process created in a mailbox and has not appended to since: they hold nothing, so counting them (the
/// executor asks before copying a folder whether it holds messages the ledger does not know) needs no STATUS, as the Graph
/// target counts the folders it creates. Shared by every target a factory opens, because a mailbox's folders are created on
/// one connection and copied on several; a folder is marked written before the first APPEND to it is sent, so a batch the
/// server may or may not have stored is never counted as nothing.
/// </summary>
internal sealed class CreatedEmptyFolders
{
    private readonly ConcurrentDictionary<string, bool> _folders = new(StringComparer.Ordinal);

    public void Created(ImapSettings settings, string fullName) => _folders[Key(settings, fullName)] = true;

    public void Written(ImapSettings settings, string fullName) => _folders.TryRemove(Key(settings, fullName), out _);

    public bool IsEmpty(ImapSettings settings, string fullName) => _folders.ContainsKey(Key(settings, fullName));

    private static string Key(ImapSettings settings, string fullName) =>
        $"{settings.ServerKey}\n{settings.Address.ToLowerInvariant()}\n{fullName}";
}
