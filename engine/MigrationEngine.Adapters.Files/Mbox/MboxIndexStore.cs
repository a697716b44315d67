using System.Collections.Concurrent;

namespace MigrationEngine.Adapters.Files.Mbox;

/// <summary>
/// The message positions of an mbox file found by one scan, and the file's size and time when the scan began. A source id
/// stays the byte offset of the message's From line (what ledgers hold); the index maps it to the bytes to serve.
/// </summary>
internal sealed class MboxFileIndex(MboxStamp? stamp)
{
    public MboxStamp? Stamp { get; } = stamp;

    public ConcurrentDictionary<string, MboxSpan> Spans { get; } = new(StringComparer.Ordinal);
}

/// <summary>An mbox file's length and modification time: an index is served to another instance only while they hold.</summary>
internal readonly record struct MboxStamp(long Length, long ModifiedTicks)
{
    /// <summary>The file's stamp now; null when it cannot be read (the fetch then scans and reports why).</summary>
    public static MboxStamp? Of(string file)
    {
        try
        {
            var info = new FileInfo(file);
            return info.Exists ? new MboxStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>
/// The newest index of each mbox file, shared by the source instances open for one mailbox (kept by the factory): the
/// instance that lists a folder publishes its scan, and the instances that copy the folder's other ranges read their
/// messages' bytes from it instead of scanning the file again. A mailbox's indexes are dropped when its last instance is
/// disposed, so a later run (or pass) scans the file anew.
/// </summary>
internal sealed class MboxIndexStore
{
    private readonly Dictionary<string, (ConcurrentDictionary<string, MboxFileIndex> Files, int Users)> _mailboxes = new(StringComparer.Ordinal);

    /// <summary>The indexes shared by the instances of the mailbox at <paramref name="mailbox"/> (its folder or Takeout file).</summary>
    public ConcurrentDictionary<string, MboxFileIndex> Acquire(string mailbox)
    {
        lock (_mailboxes)
        {
            var entry = _mailboxes.TryGetValue(mailbox, out var open) ? open : (new(StringComparer.Ordinal), 0);
            _mailboxes[mailbox] = (entry.Files, entry.Users + 1);
            return entry.Files;
        }
    }

    public void Release(string mailbox)
    {
        lock (_mailboxes)
        {
            if (!_mailboxes.TryGetValue(mailbox, out var open))
            {
                return;
            }

            if (open.Users <= 1)
            {
                _mailboxes.Remove(mailbox);
            }
            else
            {
                _mailboxes[mailbox] = (open.Files, open.Users - 1);
            }
        }
    }

    /// <summary>Mailboxes with an instance open (tests).</summary>
    internal int OpenMailboxes
    {
        get
        {
            lock (_mailboxes)
            {
                return _mailboxes.Count;
            }
        }
    }
}
