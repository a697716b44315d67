using System.Collections.Concurrent;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using Serilog;

namespace MigrationEngine.Core.Execution;

/// <summary>Per-mailbox state shared by the folder workers.</summary>
internal sealed class MailboxRun(RunContext run, MigrationDefinition migration, MailboxEntry mailbox, string key, MailboxContext sourceContext, MailboxContext targetContext, MailboxResult result, ILogger log)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<PresenceSet>>> _presence = new(StringComparer.Ordinal);
    private IReadOnlyList<LedgerEntry>? _ledger;
    private readonly SemaphoreSlim _ledgerGate = new(1, 1);

    public IStateStore Store { get; } = run.State;
    public RunContext Run { get; } = run;
    public MigrationDefinition Migration { get; } = migration;
    public MailboxEntry Mailbox { get; } = mailbox;
    public string Key { get; } = key;
    public MailboxContext SourceContext { get; } = sourceContext;
    public MailboxContext TargetContext { get; } = targetContext;
    public MailboxResult Result { get; } = result;
    public ILogger Log { get; } = log;

    /// <summary>
    /// Done folders are brought up to date from their cursors instead of being copied again: set for a mailbox already
    /// done (apply converges) and for <c>apply --delta</c>.
    /// </summary>
    public bool Delta { get; init; }

    /// <summary>The mailbox's lease: ledger writes carry it and are refused once it is lost.</summary>
    public required LeaseKeeper Lease { get; init; }

    /// <summary>Step ends that go with the mailbox's next step write (the runner's, which its failure paths write too).</summary>
    public required DeferredStepEnds DeferredEnds { get; init; }
    public ConcurrentDictionary<string, TargetFolder> TargetFolders { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, List<string>> SourceKeys { get; } = new(StringComparer.Ordinal);

    private IReadOnlyDictionary<string, int>? _ledgerCounts;

    /// <summary>Ledger entries per source folder, read once for the count checks of a delta pass (after the copy).</summary>
    public async Task<IReadOnlyDictionary<string, int>> LedgerCountsAsync(CancellationToken cancellationToken) =>
        _ledgerCounts ??= await Store.GetLedgerFolderCountsAsync(Run.Plan.Name, Migration.Name, Key, cancellationToken);

    /// <summary>Source folder to target folder, for every folder this run copies (skipped unchanged folders included).</summary>
    public ConcurrentDictionary<string, string> FolderTargets { get; } = new(StringComparer.Ordinal);

    /// <summary>Source folders a delta pass skipped because their cursor had not moved.</summary>
    public ConcurrentDictionary<string, bool> UnchangedFolders { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The target folder's messages that no ledger entry accounts for: only these can be copies of messages the
    /// ledger lost. Loaded once per folder, when the first message the ledger does not know is met.
    /// </summary>
    public Task<PresenceSet> GetPresenceAsync(TargetFolder folder, IMailTarget target, CancellationToken cancellationToken) =>
        _presence.GetOrAdd(folder.Path, _ => new Lazy<Task<PresenceSet>>(() => LoadPresenceAsync(folder, target, cancellationToken))).Value;

    public void ForgetPresence(string targetPath)
    {
        _presence.TryRemove(targetPath, out _);
        _ledger = null;
    }

    /// <summary>The mailbox's ledger as it was when first asked for (read once, again after <see cref="ForgetPresence"/>).</summary>
    public async Task<IReadOnlyList<LedgerEntry>> LedgerAsync(CancellationToken cancellationToken)
    {
        await _ledgerGate.WaitAsync(cancellationToken);
        try
        {
            return _ledger ??= await Store.GetLedgerEntriesAsync(Run.Plan.Name, Migration.Name, Key, cancellationToken);
        }
        finally
        {
            _ledgerGate.Release();
        }
    }

    private async Task<PresenceSet> LoadPresenceAsync(TargetFolder folder, IMailTarget target, CancellationToken cancellationToken)
    {
        // A folder that holds as many messages as the ledger put there has none the ledger does not know: its keys
        // need not be read, which for a large folder is the cost of a delta pass.
        var count = target is IFolderCountTarget counter && (await counter.CountMessagesAsync([folder], cancellationToken)).TryGetValue(folder.Path, out var counted)
            ? counted
            : -1;
        if (count == 0)
        {
            return new PresenceSet();
        }

        // Relinked entries re-point a message already counted by its original entry. An entry whose source folder this run
        // does not copy into the folder accounts for nothing here: its folder left the source or the plan, or the ledger
        // is damaged and the entry names another folder than its message's. Its copy can then be any unknown message's.
        var recorded = (await LedgerAsync(cancellationToken))
            .Where(entry => entry.Outcome is LedgerOutcomes.Copied or LedgerOutcomes.Present && string.Equals(entry.TargetFolder, folder.Path, StringComparison.Ordinal)
                && (FolderTargets.IsEmpty || (FolderTargets.TryGetValue(entry.Folder, out var target) && string.Equals(target, folder.Path, StringComparison.Ordinal))))
            .Select(entry => (entry.DedupKey, entry.Size))
            .ToList();

        if (count == recorded.Count)
        {
            return new PresenceSet();
        }

        // Where the target tells sizes and dates, they keep two messages of one key apart (PresenceSet).
        var inTarget = new PresenceSet(target is IFingerprintTarget fingerprints
            ? await fingerprints.ListMessageFingerprintsAsync(folder, cancellationToken)
            : (await target.ListMessageKeysAsync(folder, cancellationToken)).Select(key => new TargetMessage(key)));
        foreach (var (key, size) in recorded)
        {
            inTarget.Remove(key, size);
        }

        return inTarget;
    }
}
