namespace MigrationEngine.Core.State;

/// <summary>
/// A store that keeps what <c>migrate inventory</c> read from the sources (table <c>inventory</c>, one row per plan, migration
/// and mailbox), so that <c>plan --forecast</c> and reports use it without reading the sources again.
/// </summary>
public interface IInventoryStore
{
    Task SaveInventoryAsync(string planName, IReadOnlyList<InventoryRecord> records, CancellationToken cancellationToken);

    Task<IReadOnlyList<InventoryRecord>> GetInventoryAsync(string planName, CancellationToken cancellationToken);
}
