
namespace MigrationEngine.Core.State;

/// <summary>Lease keys that are not mailboxes.</summary>
public static class WorkerLeaseKeys
{
    /// <summary>The lease of a migration's steps that are not per mailbox (Exchange-native batches); no address looks like it.</summary>
    public const string Migration = "*";
}
