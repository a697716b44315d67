
namespace MigrationEngine.Core.Execution;

/// <summary>Counters of one mailbox in one run. Thread-safe increments: folders of a mailbox copy in parallel.</summary>
public sealed class MailboxCounters
{
    private long _copied;
    private long _bytes;
    private long _present;
    private long _filtered;
    private long _badItems;
    private long _warnings;
    private long _flagsUpdated;
    private long _placedElsewhere;
    private long _vanished;

    public long Copied => Interlocked.Read(ref _copied);
    public long BytesCopied => Interlocked.Read(ref _bytes);
    public long AlreadyPresent => Interlocked.Read(ref _present);
    public long Filtered => Interlocked.Read(ref _filtered);
    public long BadItems => Interlocked.Read(ref _badItems);
    public long Warnings => Interlocked.Read(ref _warnings);
    public long FlagsUpdated => Interlocked.Read(ref _flagsUpdated);
    /// <summary>Label folder entries not copied there because the message's one copy is in another folder.</summary>
    public long PlacedElsewhere => Interlocked.Read(ref _placedElsewhere);
    /// <summary>Messages the ledger recorded as copied that the source no longer holds (deleted there since): kept in the target, reported.</summary>
    public long Vanished => Interlocked.Read(ref _vanished);

    public void AddCopied(long bytes)
    {
        Interlocked.Increment(ref _copied);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void AddPresent(long count = 1) => Interlocked.Add(ref _present, count);

    public void AddFiltered() => Interlocked.Increment(ref _filtered);

    public void AddPlacedElsewhere() => Interlocked.Increment(ref _placedElsewhere);

    public long AddBadItem() => Interlocked.Increment(ref _badItems);

    public void AddWarning() => Interlocked.Increment(ref _warnings);

    public void AddFlagsUpdated(long count) => Interlocked.Add(ref _flagsUpdated, count);

    public void AddVanished(long count) => Interlocked.Add(ref _vanished, count);
}
