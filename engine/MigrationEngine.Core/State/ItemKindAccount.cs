using System.Globalization;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.State;

/// <summary>
/// Contacts or calendar items of a mailbox (or a plan) as a pass accounts for them: every source item was created in the
/// target, found already present, updated in place, or is a bad item. <see cref="InTarget"/> is what the last pass left in
/// the target from the source (created, present and updated).
/// </summary>
public sealed record ItemKindAccount(long Created, long AlreadyPresent, long Updated, long BadItems)
{
    public static readonly ItemKindAccount None = new(0, 0, 0, 0);

    public long InTarget => Created + AlreadyPresent + Updated;

    public long SourceItems => InTarget + BadItems;

    public ItemKindAccount Add(ItemKindAccount other) =>
        new(Created + other.Created, AlreadyPresent + other.AlreadyPresent, Updated + other.Updated, BadItems + other.BadItems);

    public static ItemKindAccount Of(PimKindCounters counters) => new(counters.Created, counters.AlreadyPresent, counters.Updated, counters.BadItems);

    /// <summary>"3 created, 0 already present, 1 updated, 0 bad items".</summary>
    public string Sentence => string.Create(CultureInfo.InvariantCulture,
        $"{Created:N0} created, {AlreadyPresent:N0} already present, {Updated:N0} updated, {BadItems:N0} bad items");
}
