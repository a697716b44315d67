using System.Collections.Concurrent;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// Servers seen to keep <c>\Flagged</c> on APPEND. Some servers drop it, so the new copies of flagged messages are checked
/// (a SELECT and a FETCH: two round trips) until one batch shows the server keeps it. That is a property of the server,
/// not of a connection: shared by every target a factory opens, so a mailbox copied on four connections checks once, not
/// four times.
/// </summary>
internal sealed class FlaggedOnAppend
{
    private readonly ConcurrentDictionary<string, bool> _kept = new(StringComparer.Ordinal);

    public bool IsKept(ImapSettings settings) => _kept.ContainsKey(settings.ServerKey);

    public void Kept(ImapSettings settings) => _kept[settings.ServerKey] = true;
}
