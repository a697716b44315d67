namespace MigrationEngine.Core.State;

public enum StepStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// <summary>A step's recorded outcome. A step is done when Status is Succeeded and InputHash equals the current one.</summary>
public sealed record StepRecord
{
    public required string StepId { get; init; }
    public required string Kind { get; init; }
    public required string InputHash { get; init; }
    public StepStatus Status { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Diagnostic text of the last failure (never a secret).</summary>
    public string? Error { get; init; }
    /// <summary>Step-specific result as JSON (counts, verify results, Exchange ids).</summary>
    public string? ResultJson { get; init; }
}

/// <summary>One copied (or found already present) message in the per-message ledger.</summary>
public sealed record LedgerEntry
{
    public required string Migration { get; init; }
    /// <summary>Target address of the mailbox (lower case): mailbox identity across the plan.</summary>
    public required string Mailbox { get; init; }
    /// <summary>Source folder path ('/' delimited).</summary>
    public required string Folder { get; init; }
    /// <summary>Source folder identity at copy time (UIDVALIDITY), 0 when the source has none.</summary>
    public long FolderValidity { get; init; }
    public required string SourceId { get; init; }
    public string? MessageId { get; init; }
    public required string DedupKey { get; init; }
    /// <summary>SHA-256 (hex) of the raw message; null when found already present in the target.</summary>
    public string? Sha256 { get; init; }
    public long Size { get; init; }
    public required string TargetFolder { get; init; }
    public string? TargetId { get; init; }
    /// <summary>copied, present (found in the target without ledger), or another outcome word.</summary>
    public string Outcome { get; init; } = LedgerOutcomes.Copied;
    public DateTimeOffset RecordedAt { get; init; }
    public long RunId { get; init; }
}

/// <summary>A message not copied, and why: skipped by a filter, rejected by the server (bad item), malformed.</summary>
public sealed record ItemEvent
{
    public required string Migration { get; init; }
    public required string Mailbox { get; init; }
    public required string Folder { get; init; }
    public required string SourceId { get; init; }
    /// <summary>filtered, bad-item, warning.</summary>
    public required string Kind { get; init; }
    public required string Reason { get; init; }
    public long Size { get; init; }
    public long RunId { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>The outcomes a ledger entry records.</summary>
public static class LedgerOutcomes
{
    /// <summary>Appended to the target by this engine.</summary>
    public const string Copied = "copied";

    /// <summary>Found already in the target (a copy the ledger had lost).</summary>
    public const string Present = "present";

    /// <summary>Re-pointed after a UIDVALIDITY change to a message an earlier entry already accounts for.</summary>
    public const string Relinked = "relinked";
}

/// <summary>What the ledger knows about one source folder.</summary>
public sealed record LedgerFolderView(IReadOnlySet<string> SourceIds, IReadOnlyList<string> DedupKeys, long? FolderValidity)
{
    public static readonly LedgerFolderView Empty = new(new HashSet<string>(), [], null);

    /// <summary>
    /// Builds the view from a folder's ledger rows in any order, so that every store gives it the same meaning: source ids
    /// of the latest validity (that of the highest id) only, since older UIDs mean nothing; dedup keys of every entry except
    /// relinked ones, which re-point a message already counted and would otherwise let a second UIDVALIDITY change
    /// relink a genuinely new copy instead of copying it.
    /// </summary>
    public sealed class Builder
    {
        private readonly List<(long Validity, string SourceId)> _rows = [];
        private readonly List<string> _dedupKeys = [];
        private long _latestId = long.MinValue;
        private long? _latestValidity;

        public void Add(long id, long validity, string sourceId, string dedupKey, string outcome)
        {
            _rows.Add((validity, sourceId));
            if (!string.Equals(outcome, LedgerOutcomes.Relinked, StringComparison.Ordinal))
            {
                _dedupKeys.Add(dedupKey);
            }

            if (id > _latestId)
            {
                _latestId = id;
                _latestValidity = validity;
            }
        }

        public LedgerFolderView Build()
        {
            if (_latestValidity is not { } latest)
            {
                return Empty;
            }

            var sourceIds = new HashSet<string>(_rows.Count, StringComparer.Ordinal);
            foreach (var (validity, sourceId) in _rows)
            {
                if (validity == latest)
                {
                    sourceIds.Add(sourceId);
                }
            }

            return new LedgerFolderView(sourceIds, _dedupKeys, latest);
        }
    }
}

/// <summary>Picks, per folder, the count of the validity that holds the folder's newest entry (as <see cref="LedgerFolderView.Builder"/> does).</summary>
public sealed class LedgerFolderCountsBuilder
{
    private readonly Dictionary<string, (long LatestId, int Count)> _folders = new(StringComparer.Ordinal);

    /// <summary>One row of "count and highest id per folder and validity".</summary>
    public void Add(string folder, long count, long highestId)
    {
        if (!_folders.TryGetValue(folder, out var current) || highestId > current.LatestId)
        {
            _folders[folder] = (highestId, (int)count);
        }
    }

    public IReadOnlyDictionary<string, int> Build() =>
        _folders.ToDictionary(pair => pair.Key, pair => pair.Value.Count, StringComparer.Ordinal);
}

/// <summary>Where a delta pass resumes: IMAP UIDNEXT / HIGHESTMODSEQ of the source folder after the last pass.</summary>
public sealed record FolderCursor(long UidValidity, long UidNext, ulong? HighestModSeq);

/// <summary>Who holds a plan's lock; <see cref="Damaged"/> says why a lock row could not be read (unlock removes it).</summary>
public sealed record LockOwner(string Host, int ProcessId, DateTimeOffset Since, string? Command = null, string? Damaged = null)
{
    public override string ToString() => Damaged is not null
        ? $"a damaged lock row ({Damaged})"
        : $"{Host} pid {ProcessId} since {Since:u}" + (Command is null ? string.Empty : $" ({Command})");
}

/// <summary>Thrown when another live process holds the plan's lock.</summary>
public sealed class PlanLockedException(string planName, LockOwner owner)
    : Exception($"plan '{planName}' is locked by {owner}")
{
    public string PlanName { get; } = planName;
    public LockOwner Owner { get; } = owner;
}

/// <summary>The state database cannot be used (corrupt, newer schema, unreadable). The message says which file and why.</summary>
public sealed class StateStoreException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record RunRecord(long RunId, string PlanName, string Command, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Outcome, string? SummaryJson);

/// <summary>
/// Per-mailbox totals aggregated from the ledger and item events, for status and reports. <see cref="PlacedElsewhere"/>: label
/// folder entries of Gmail messages whose one copy went to another folder.
/// </summary>
public sealed record MailboxTotals(
    string Migration,
    string Mailbox,
    long Copied,
    long BytesCopied,
    long AlreadyPresent,
    long Filtered,
    long BadItems,
    long Warnings,
    long PlacedElsewhere = 0);

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
