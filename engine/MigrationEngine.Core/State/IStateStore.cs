namespace MigrationEngine.Core.State;

/// <summary>
/// The state store: steps, the per-message ledger, folder cursors, runs and a lock per plan.
/// Everything is keyed by the plan's name (metadata.name). Implementations: SQLite (embedded default), later PostgreSQL.
/// </summary>
public interface IStateStore : IAsyncDisposable
{
    /// <summary>Human-readable location (a file path), never containing a password.</summary>
    string Location { get; }

    /// <summary>Takes the plan's lock or throws <see cref="PlanLockedException"/> at once; a lock held by a dead process on this host is taken over.</summary>
    Task<IAsyncDisposable> AcquireLockAsync(string planName, string command, CancellationToken cancellationToken);

    Task<LockOwner?> GetLockOwnerAsync(string planName, CancellationToken cancellationToken);

    /// <summary>Removes the plan's lock whoever holds it; returns false when there was none.</summary>
    Task<bool> ForceUnlockAsync(string planName, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, StepRecord>> GetStepsAsync(string planName, CancellationToken cancellationToken);

    Task SaveStepAsync(string planName, StepRecord step, CancellationToken cancellationToken);

    /// <summary>
    /// Saves several step records at once, all or none (the stores write them in one transaction): a step's end and the
    /// next step's start, which nothing happens between, cost one write instead of two.
    /// </summary>
    async Task SaveStepsAsync(string planName, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var step in steps)
        {
            await SaveStepAsync(planName, step, cancellationToken);
        }
    }

    /// <summary>A hash of everything recorded for the plan (steps and ledger); a fixed value for a plan with no state.</summary>
    Task<string> GetStateHashAsync(string planName, CancellationToken cancellationToken);

    Task<LedgerFolderView> GetLedgerFolderAsync(string planName, string migration, string mailbox, string folder, CancellationToken cancellationToken);

    /// <summary>
    /// Per source folder of the mailbox, how many source ids the ledger holds for the folder's latest validity: the same
    /// number as <see cref="LedgerFolderView.SourceIds"/>, counted by the store in one query.
    /// </summary>
    Task<IReadOnlyDictionary<string, int>> GetLedgerFolderCountsAsync(string planName, string migration, string mailbox, CancellationToken cancellationToken);

    /// <summary>Records a batch of ledger entries in one transaction (durable when it returns).</summary>
    Task RecordMessagesAsync(string planName, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken);

    Task RecordItemEventsAsync(string planName, IReadOnlyList<ItemEvent> events, CancellationToken cancellationToken);

    Task<IReadOnlyList<LedgerEntry>> GetLedgerEntriesAsync(string planName, string migration, string mailbox, CancellationToken cancellationToken);

    Task<IReadOnlyList<ItemEvent>> GetItemEventsAsync(string planName, CancellationToken cancellationToken);

    Task<FolderCursor?> GetCursorAsync(string planName, string migration, string mailbox, string folder, CancellationToken cancellationToken);

    Task SaveCursorAsync(string planName, string migration, string mailbox, string folder, FolderCursor cursor, CancellationToken cancellationToken);

    Task<long> StartRunAsync(string planName, string command, CancellationToken cancellationToken);

    Task FinishRunAsync(long runId, string outcome, string summaryJson, CancellationToken cancellationToken);

    Task<IReadOnlyList<RunRecord>> GetRunsAsync(string planName, CancellationToken cancellationToken);

    Task<IReadOnlyList<MailboxTotals>> GetMailboxTotalsAsync(string planName, CancellationToken cancellationToken);
}
