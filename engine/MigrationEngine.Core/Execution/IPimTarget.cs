namespace MigrationEngine.Core.Execution;

/// <summary>Writes the contacts and calendars of one mailbox. Writing never sends an invitation or any other message.</summary>
public interface IPimTarget : IAsyncDisposable
{
    /// <summary>Creates the collection when missing (idempotent); the default collection maps to the target's own.</summary>
    Task<PimTargetCollection> EnsureCollectionAsync(PimCollection collection, CancellationToken cancellationToken);

    /// <summary>
    /// The items already in the collection that carry a key (the target stores the key with each item it writes, as the
    /// Graph mail path stores its dedup key), so a run without state finds what an earlier run created.
    /// </summary>
    Task<IReadOnlyList<PimTargetItem>> ListItemsAsync(PimTargetCollection collection, CancellationToken cancellationToken);

    /// <summary>Creates the item, or replaces the one at <paramref name="existingTargetId"/> (a changed source item).</summary>
    Task<PimWriteResult> WriteAsync(PimTargetCollection collection, PimItem item, string? existingTargetId, CancellationToken cancellationToken);
}
