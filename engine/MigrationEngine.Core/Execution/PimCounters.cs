using System.Collections.Concurrent;

namespace MigrationEngine.Core.Execution;

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
