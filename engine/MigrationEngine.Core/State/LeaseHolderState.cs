
namespace MigrationEngine.Core.State;

/// <summary>Whether a lease's holder can still be working on the mailbox.</summary>
public enum LeaseHolderState
{
    /// <summary>Unexpired, and (on this host) the process still runs; or on another host, where only the expiry tells.</summary>
    Live,

    /// <summary>Not renewed in time: its holder hung, lost the store, or died on another host.</summary>
    Expired,

    /// <summary>The holding process is gone from this host (or its pid now belongs to another process).</summary>
    Dead,

    /// <summary>The row could not be read; nobody can hold it.</summary>
    Damaged,
}
