namespace MigrationEngine.Adapters.Exchange;

/// <summary>What a migration user's status means for apply.</summary>
internal enum UserState
{
    /// <summary>The service is working on the user (queued, provisioning, syncing, completing, stopping, removing).</summary>
    InProgress,

    /// <summary>The initial or an incremental sync is done; the user waits for completion.</summary>
    Synced,

    Completed,

    /// <summary>Failed in a sync or in completion: reported, and retried on the next apply.</summary>
    Failed,

    /// <summary>Stopped (by an admin or by the service): started again on the next apply.</summary>
    Stopped,

    /// <summary>A value the references do not list: reported, never guessed.</summary>
    Unknown,
}

/// <summary>What a migration batch's status means for apply.</summary>
internal enum BatchState
{
    Created,
    InProgress,
    Synced,
    Completed,
    Stopped,
    Failed,
    Unknown,
}

/// <summary>
/// The status values of migration users and batches, as the references list them, and what each means. Get-MigrationUser -Status lists
/// Completed, CompletedWithWarnings, Completing, CompletionFailed, CompletionSynced, Corrupted, Failed, IncrementalFailed, IncrementalStopped,
/// IncrementalSynced, IncrementalSyncing, Provisioning, ProvisionUpdating, Queued, Removing, Starting, Stopped, Stopping, Synced, Syncing and
/// Validating (https://learn.microsoft.com/powershell/module/exchangepowershell/get-migrationuser); Get-MigrationBatch -Status lists Completed,
/// CompletedWithErrors, Completing, Corrupted, Created, Failed, IncrementalSyncing, Removing, Starting, Stopped, Syncing, Stopping, Synced,
/// SyncedWithErrors and Waiting (https://learn.microsoft.com/powershell/module/exchangepowershell/get-migrationbatch).
/// </summary>
internal static class MigrationStatuses
{
    private static readonly Dictionary<string, UserState> Users = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Queued"] = UserState.InProgress,
        ["Starting"] = UserState.InProgress,
        ["Validating"] = UserState.InProgress,
        ["Provisioning"] = UserState.InProgress,
        ["ProvisionUpdating"] = UserState.InProgress,
        ["Syncing"] = UserState.InProgress,
        ["IncrementalSyncing"] = UserState.InProgress,
        ["Completing"] = UserState.InProgress,
        ["Stopping"] = UserState.InProgress,
        ["Removing"] = UserState.InProgress,
        ["Synced"] = UserState.Synced,
        ["IncrementalSynced"] = UserState.Synced,
        ["CompletionSynced"] = UserState.Synced,
        ["Completed"] = UserState.Completed,
        ["CompletedWithWarnings"] = UserState.Completed,
        ["Failed"] = UserState.Failed,
        ["IncrementalFailed"] = UserState.Failed,
        ["CompletionFailed"] = UserState.Failed,
        ["Corrupted"] = UserState.Failed,
        ["Stopped"] = UserState.Stopped,
        ["IncrementalStopped"] = UserState.Stopped,
    };

    private static readonly Dictionary<string, BatchState> Batches = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Created"] = BatchState.Created,
        ["Starting"] = BatchState.InProgress,
        ["Syncing"] = BatchState.InProgress,
        ["IncrementalSyncing"] = BatchState.InProgress,
        ["Completing"] = BatchState.InProgress,
        ["Stopping"] = BatchState.InProgress,
        ["Removing"] = BatchState.InProgress,
        ["Waiting"] = BatchState.InProgress,
        ["Synced"] = BatchState.Synced,
        ["SyncedWithErrors"] = BatchState.Synced,
        ["Completed"] = BatchState.Completed,
        ["CompletedWithErrors"] = BatchState.Completed,
        ["Stopped"] = BatchState.Stopped,
        ["Failed"] = BatchState.Failed,
        ["Corrupted"] = BatchState.Failed,
    };

    /// <summary>Users Start-MigrationUser restarts on the next apply (the exported script filters the same list).</summary>
    public static readonly string[] RetriedUserStatuses = [.. Users.Where(u => u.Value is UserState.Failed or UserState.Stopped).Select(u => u.Key)];

    public static UserState OfUser(string status) => Users.GetValueOrDefault(status, UserState.Unknown);

    public static BatchState OfBatch(string status) => Batches.GetValueOrDefault(status, BatchState.Unknown);
}
