namespace MigrationEngine.Core.State;

/// <summary>One mailbox's inventory as the state keeps it: the JSON of <c>Inventory.InventoryJson</c>, replaced by each inventory.</summary>
public sealed record InventoryRecord(string Migration, string Mailbox, DateTimeOffset RecordedAt, string Json);

/// <summary>
/// A store that keeps what <c>migrate inventory</c> read from the sources (table <c>inventory</c>, one row per plan, migration
/// and mailbox), so that <c>plan --forecast</c> and reports use it without reading the sources again.
/// </summary>
public interface IInventoryStore
{
    Task SaveInventoryAsync(string planName, IReadOnlyList<InventoryRecord> records, CancellationToken cancellationToken);

    Task<IReadOnlyList<InventoryRecord>> GetInventoryAsync(string planName, CancellationToken cancellationToken);
}
