
namespace MigrationEngine.Core.State;

/// <summary>
/// A store that keeps what <c>status</c> last printed for a plan, and a revision that grows with every write to the plan's
/// steps, ledger and item events (kept by the database itself, so no writer can forget it). A snapshot made at revision r
/// is exact while the revision is still r: <c>status</c> then prints it without loading the plan's CSVs, compiling the
/// graph or reading every step and ledger row (at 50,000 mailboxes that was seconds).
/// </summary>
public interface IStatusSnapshotStore
{
    /// <summary>The plan's revision: 0 before anything was written, then higher after every write that changes the account.</summary>
    Task<long> GetRevisionAsync(string planName, CancellationToken cancellationToken);

    /// <summary>Replaces the snapshot kept for the plan file (one per plan file path).</summary>
    Task SaveStatusSnapshotAsync(string planFile, string planName, long revision, byte[] document, CancellationToken cancellationToken);

    /// <summary>The snapshot document kept for the plan file, or null.</summary>
    Task<byte[]?> FindStatusSnapshotAsync(string planFile, CancellationToken cancellationToken);
}
