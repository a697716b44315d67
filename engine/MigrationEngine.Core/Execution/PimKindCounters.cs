using System.Collections.Concurrent;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// What happened to one item kind's items (contacts or calendar) of one mailbox in one run. Every source item ends in
/// exactly one of created, already present, updated or bad: the summary accounts for each.
/// </summary>
public sealed class PimKindCounters
{
    private long _created;
    private long _present;
    private long _updated;
    private long _bad;
    private long _collections;
    private readonly ConcurrentDictionary<string, long> _dropped = new(StringComparer.Ordinal);

    public long Created => Interlocked.Read(ref _created);
    public long AlreadyPresent => Interlocked.Read(ref _present);
    public long Updated => Interlocked.Read(ref _updated);
    public long BadItems => Interlocked.Read(ref _bad);
    public long Collections => Interlocked.Read(ref _collections);
    public long SourceItems => Created + AlreadyPresent + Updated + BadItems;

    /// <summary>What the target could not hold, by what it was (e.g. "photo", "attendees"), counted per item.</summary>
    public IReadOnlyDictionary<string, long> Dropped => _dropped;

    public void AddCreated() => Interlocked.Increment(ref _created);

    public void AddPresent() => Interlocked.Increment(ref _present);

    public void AddUpdated() => Interlocked.Increment(ref _updated);

    public void AddBad() => Interlocked.Increment(ref _bad);

    public void AddCollection() => Interlocked.Increment(ref _collections);

    public void AddDropped(string what) => _dropped.AddOrUpdate(what, 1, (_, count) => count + 1);

    public void Add(PimKindCounters other)
    {
        Interlocked.Add(ref _created, other.Created);
        Interlocked.Add(ref _present, other.AlreadyPresent);
        Interlocked.Add(ref _updated, other.Updated);
        Interlocked.Add(ref _bad, other.BadItems);
        Interlocked.Add(ref _collections, other.Collections);
        foreach (var (what, count) in other.Dropped)
        {
            _dropped.AddOrUpdate(what, count, (_, current) => current + count);
        }
    }

    internal PimCountersJson ToJson() => new(Created, AlreadyPresent, Updated, BadItems, Collections,
        Dropped.Count == 0 ? null : new SortedDictionary<string, long>(Dropped.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal));
}
