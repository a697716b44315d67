namespace MigrationEngine.Core.State;

/// <summary>
/// Whole-plan state in and out of a store, for <c>migrate state export/import</c>. It lives beside <see cref="IStateStore"/>
/// rather than in it because only the transfer command needs raw ids and whole tables; each store keeps its own SQL, so
/// callers never need to know how a store lays out its tables.
/// </summary>
public interface IStateTransfer
{
    /// <summary>
    /// Reads everything recorded for the plan, with ledger and run ids as stored: the ids feed the state hash, so a
    /// snapshot without them could not be imported elsewhere with the same hash (and saved plans would go stale).
    /// </summary>
    Task<PlanStateSnapshot> ExportPlanStateAsync(string planName, CancellationToken cancellationToken);

    /// <summary>
    /// True when anything is recorded for the plan, so that an import can refuse to overwrite state it was not told to
    /// replace, without reading the whole plan first.
    /// </summary>
    Task<bool> HasPlanStateAsync(string planName, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the plan's state with the snapshot, all or nothing, so an interrupted import never leaves half a plan behind.
    /// Ids are kept when no other plan in this store uses them, so the state hash matches the exporting store's; otherwise
    /// they are moved past the highest id in use (keeping their order), because ids are shared by every plan in a store.
    /// Returns whether the ids were kept, so the caller can explain a changed state hash.
    /// </summary>
    Task<bool> ImportPlanStateAsync(PlanStateSnapshot snapshot, CancellationToken cancellationToken);
}
