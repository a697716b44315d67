using System.Globalization;
using System.Text.Json;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.State;

/// <summary>Per item kind (contacts, calendar), in that order; empty for a mail-only plan (whose outputs stay as they were).</summary>
public sealed record ItemAccount(IReadOnlyList<(ItemKind Kind, ItemKindAccount Account)> Kinds)
{
    public static readonly ItemAccount None = new([]);

    public bool Any => Kinds.Count > 0;

    public ItemKindAccount this[ItemKind kind] => Kinds.FirstOrDefault(k => k.Kind == kind).Account ?? ItemKindAccount.None;

    /// <summary>What one run did for a mailbox or the whole run.</summary>
    public static ItemAccount OfRun(PimCounters counters) => new([.. counters.Kinds.Select(k => (k.Kind, ItemKindAccount.Of(k.Counters)))]);

    /// <summary>What the state says: the last pass of each contacts or calendar step among <paramref name="steps"/> (its result).</summary>
    public static ItemAccount FromSteps(IEnumerable<Step> steps, IReadOnlyDictionary<string, StepRecord> records)
    {
        var kinds = new SortedDictionary<ItemKind, ItemKindAccount>();
        foreach (var step in steps)
        {
            if (PimSteps.ItemKindOf(step.Kind) is not { } kind)
            {
                continue;
            }

            var account = records.TryGetValue(step.Id, out var record) ? Parse(record.ResultJson) : ItemKindAccount.None;
            kinds[kind] = kinds.TryGetValue(kind, out var sum) ? sum.Add(account) : account;
        }

        return new([.. kinds.Select(k => (k.Key, k.Value))]);
    }

    public ItemAccount Add(ItemAccount other)
    {
        var kinds = new SortedDictionary<ItemKind, ItemKindAccount>();
        foreach (var (kind, account) in Kinds.Concat(other.Kinds))
        {
            kinds[kind] = kinds.TryGetValue(kind, out var sum) ? sum.Add(account) : account;
        }

        return new([.. kinds.Select(k => (k.Key, k.Value))]);
    }

    /// <summary>"contacts: 3 created, 0 already present, 0 updated, 0 bad items; calendar: ..." (empty when no kind ran).</summary>
    public string Sentence => string.Join("; ", Kinds.Select(k => $"{ItemCapabilities.Name(k.Kind)}: {k.Account.Sentence}"));

    /// <summary>"contacts: 3 in the target, 0 bad items; calendar: ..." for the totals of the state.</summary>
    public string TotalSentence => string.Join("; ", Kinds.Select(k => string.Create(CultureInfo.InvariantCulture,
        $"{ItemCapabilities.Name(k.Kind)}: {k.Account.InTarget:N0} in the target, {k.Account.BadItems:N0} bad items")));

    private static ItemKindAccount Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return ItemKindAccount.None;
        }

        try
        {
            var counters = JsonSerializer.Deserialize(json, ExecutionJsonContext.Default.PimCountersJson);
            return counters is null ? ItemKindAccount.None : new(counters.Created, counters.Present, counters.Updated, counters.BadItems);
        }
        catch (JsonException)
        {
            return ItemKindAccount.None;
        }
    }
}
