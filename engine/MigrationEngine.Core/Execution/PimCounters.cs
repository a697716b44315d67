using System.Collections.Concurrent;
using System.Text.Json.Serialization;

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

/// <summary>Per item kind (contacts, calendar) of a mailbox or a run; mail keeps <see cref="MailboxCounters"/>.</summary>
public sealed class PimCounters
{
    private readonly ConcurrentDictionary<ItemKind, PimKindCounters> _kinds = new();

    public PimKindCounters this[ItemKind kind] => _kinds.GetOrAdd(kind, _ => new PimKindCounters());

    /// <summary>The kinds that ran, in enum order (contacts before calendar).</summary>
    public IEnumerable<(ItemKind Kind, PimKindCounters Counters)> Kinds => _kinds.OrderBy(p => p.Key).Select(p => (p.Key, p.Value));

    public bool Any => !_kinds.IsEmpty;

    /// <summary>Items written to the target this run (created or updated): a mailbox that wrote none is unchanged.</summary>
    public long Written => _kinds.Values.Sum(k => k.Created + k.Updated);

    public static PimCounters Sum(IEnumerable<PimCounters> counters)
    {
        var total = new PimCounters();
        foreach (var one in counters)
        {
            foreach (var (kind, kindCounters) in one.Kinds)
            {
                total[kind].Add(kindCounters);
            }
        }

        return total;
    }

    internal SortedDictionary<string, PimCountersJson>? ToJson() => Any
        ? new SortedDictionary<string, PimCountersJson>(Kinds.ToDictionary(k => ItemCapabilities.Name(k.Kind), k => k.Counters.ToJson()), StringComparer.Ordinal)
        : null;
}

/// <summary>One item kind's figures in a step result or a run summary.</summary>
public sealed record PimCountersJson(
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("present")] long Present,
    [property: JsonPropertyName("updated")] long Updated,
    [property: JsonPropertyName("bad_items")] long BadItems,
    [property: JsonPropertyName("collections")] long Collections,
    [property: JsonPropertyName("dropped"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SortedDictionary<string, long>? Dropped);
