namespace MigrationEngine.Core.Execution;

/// <summary>
/// Reads the contacts and calendars of one mailbox. Which item kinds a source type carries is <see cref="ItemCapabilities"/>
/// (the one home of that rule: validation names the types that can from it), not a member of the adapter.
/// </summary>
public interface IPimSource : IAsyncDisposable
{
    Task<IReadOnlyList<PimCollection>> ListCollectionsAsync(ItemKind kind, CancellationToken cancellationToken);

    IAsyncEnumerable<PimItem> ReadItemsAsync(PimCollection collection, CancellationToken cancellationToken);
}
