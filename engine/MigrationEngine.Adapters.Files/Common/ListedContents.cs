using System.Collections.Concurrent;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>
/// Bytes of small message files read whole while listing, kept until the fetch of the same message takes them: the listing
/// reads a file's first 64 KB for its header section anyway, so a file no larger than that is read once instead of being
/// opened again to be copied (a copy of 2,000 mailboxes of 20 small messages opened every file twice, and resolved it
/// twice). Bounded in total: past <see cref="Budget"/> bytes nothing more is kept, and fetch reads those files as before.
/// Entries a fetch never asks for (messages the ledger already has) stay until the source is let go.
/// </summary>
internal sealed class ListedContents
{
    /// <summary>The largest file kept: the header read's own buffer, so keeping costs no read the listing did not do.</summary>
    public const int FileLimit = MessageHeaders.ReadBufferSize;

    /// <summary>Bytes kept at once by one source (a mailbox's reader): a batch or two of small messages.</summary>
    public const long Budget = 8L * 1024 * 1024;

    private readonly ConcurrentDictionary<(string Directory, string Id), byte[]> _contents = new();
    private long _bytes;

    /// <summary>Bytes held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Whether a file of <paramref name="length"/> bytes would be kept now.</summary>
    public bool HasRoomFor(long length) => length <= FileLimit && Bytes + length <= Budget;

    /// <summary>Keeps <paramref name="content"/> for the message <paramref name="id"/> of <paramref name="directory"/> (replacing what an earlier listing kept).</summary>
    public void Keep(string directory, string id, byte[] content)
    {
        // Not AddOrUpdate: its update callback may run more than once under contention, and would give back the old
        // length each time. What was kept is taken out first, so each array is counted in and out exactly once.
        Forget(directory, id);
        if (_contents.TryAdd((directory, id), content))
        {
            Interlocked.Add(ref _bytes, content.Length);
        }
    }

    /// <summary>Hands out (and forgets) the bytes kept for a message, if any.</summary>
    public bool TryTake(string directory, string id, out byte[] content)
    {
        if (_contents.TryRemove((directory, id), out var kept))
        {
            Interlocked.Add(ref _bytes, -kept.Length);
            content = kept;
            return true;
        }

        content = [];
        return false;
    }

    /// <summary>Forgets the message <paramref name="id"/> of <paramref name="directory"/> (listed again without its bytes).</summary>
    public void Forget(string directory, string id) => TryTake(directory, id, out _);
}
