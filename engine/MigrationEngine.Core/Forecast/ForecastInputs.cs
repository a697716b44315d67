using MigrationEngine.Core.Inventory;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Forecast;

/// <summary>
/// What a forecast is made from, read from state in one place for <c>plan --forecast</c> and for the reports: the inventory
/// <c>migrate inventory</c> recorded, the transfer rate this plan's runs measured (<see cref="MeasuredRates"/>), and how long
/// each mailbox's copy took in its last run (forecast against actual).
/// </summary>
public sealed record ForecastInputs(
    IReadOnlyList<MailboxInventory> Inventory,
    TransferRate Rate,
    IReadOnlyDictionary<(string Migration, string Key), TimeSpan> Actuals)
{
    public static ForecastInputs None { get; } = new([], TransferRate.Default, new Dictionary<(string, string), TimeSpan>());

    /// <param name="measuredBefore">Rate from copies that finished before this time only (the forecast as it stood before a run).</param>
    public static async Task<ForecastInputs> LoadAsync(IStateStore store, string planName, DateTimeOffset? measuredBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return From(await InventoryAsync(store, planName, cancellationToken), await store.GetStepsAsync(planName, cancellationToken),
            await store.GetMailboxTotalsAsync(planName, cancellationToken), measuredBefore);
    }

    /// <summary>What <c>migrate inventory</c> recorded for the plan (nothing in a store that keeps no inventory).</summary>
    public static async Task<IReadOnlyList<MailboxInventory>> InventoryAsync(IStateStore store, string planName, CancellationToken cancellationToken) =>
        store is IInventoryStore inventories
            ? (await inventories.GetInventoryAsync(planName, cancellationToken)).Select(r => InventoryJson.FromJson(r.Json)).ToList()
            : [];

    /// <summary>From records the caller has read already (a report reads the steps and totals for itself too).</summary>
    public static ForecastInputs From(IReadOnlyList<MailboxInventory> inventory, IReadOnlyDictionary<string, StepRecord> steps, IReadOnlyList<MailboxTotals> totals,
        DateTimeOffset? measuredBefore)
    {
        var (rate, actuals) = MeasuredRates.From(steps, totals, measuredBefore);
        return new ForecastInputs(inventory, rate, actuals);
    }
}
