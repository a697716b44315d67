using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Copies one source folder into its target folder: lists the source on its own connection pair, decides per message
/// (known, filtered, too large, claimed by another label, relinked, already present, or to copy), fetches and appends
/// in batches (see <see cref="BatchPipeline"/>; a large folder in ranges on several pairs, see FolderCopy.Ranges.cs),
/// records the ledger and item events, and brings flag changes across. Returns the dedup keys of the messages that should
/// be in the target, for verification.
/// </summary>
internal sealed partial class FolderCopy
{
    private readonly MailboxRun _mailboxRun;
    private readonly RunContext _run;
    private readonly MigrationDefinition _migration;
    private readonly SourceFolder _folder;
    private readonly IMailSource _source;
    private readonly IMailTarget _target;
    private readonly TargetFolder _targetFolder;
    private readonly long _validity;
    private readonly bool _delta;
    private readonly FolderCursor? _savedCursor;
    private readonly CancellationToken _cancellationToken;
    private readonly List<FlagUpdate> _flagUpdates = [];
    private readonly List<string> _expected = [];
    private readonly List<SourceMessage> _pending = [];
    private readonly List<LedgerEntry> _records = [];
    private readonly List<ItemEvent> _events = [];
    private IReadOnlySet<string> _known = new HashSet<string>();
    private KeyMultiset? _relink;
    private IFlagSyncTarget? _flagTarget;
    private ulong? _changedSince;
    private string? _after;
    private bool _keysFromContent;
    private Dictionary<string, string>? _targetIds;
    private UnclaimedLedgerEntries? _unclaimed;
    private readonly List<SourceMessage> _suspects = [];
    private long _pendingBytes;
    private long _listed;
    private long _knownListed;

    // The folder's own pipeline on its pair: while one batch is appended, the next is listed and fetched.
    private readonly BatchPipeline _pipeline;
    private volatile bool _badItemLimitHit;

    private FolderCopy(MailboxRun mailboxRun, ConnectionPair pair, RangeBoard board, FolderAssignment assignment, bool delta, FolderCursor? savedCursor,
        CancellationToken cancellationToken)
    {
        _pair = pair;
        _board = board;
        _mailboxRun = mailboxRun;
        _run = mailboxRun.Run;
        _migration = mailboxRun.Migration;
        _folder = assignment.Source;
        _source = pair.Source!;
        _target = pair.Target!;
        _targetFolder = mailboxRun.TargetFolders[assignment.TargetPath];
        _validity = _folder.UidValidity ?? 0;
        _delta = delta;
        _savedCursor = savedCursor;
        _cancellationToken = cancellationToken;
        _pipeline = new BatchPipeline(this, _source, _target, cancellationToken);
    }

    /// <summary>Copies one source folder; returns the dedup keys of the messages that should be in the target (for verify).</summary>
    public static async Task<List<string>> RunAsync(MailboxRun mailboxRun, ConnectionPair pair, RangeBoard board, FolderAssignment assignment, bool delta,
        FolderCursor? savedCursor, CancellationToken cancellationToken)
    {
        var copy = new FolderCopy(mailboxRun, pair, board, assignment, delta, savedCursor, cancellationToken);
        // The target folder gets ready for appends while the source is listed (both sides at once, one round trip each).
        // Only a head start: a preparation that fails leaves the appends to find the folder as they would have.
        var preparing = copy._target is IFolderPreparingTarget preparer ? preparer.PrepareFolderAsync(copy._targetFolder, cancellationToken) : Task.CompletedTask;
        try
        {
            await copy.DecideAsync();
            return await copy.CopyAsync();
        }
        finally
        {
            try
            {
                await preparing;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                mailboxRun.Log.Debug("Getting target folder {Folder} ready ahead of its appends failed: {Message}", copy._targetFolder.Path, ex.Message);
            }
        }
    }

    /// <summary>Reads the folder's ledger and decides how this copy lists the source and where flag changes start.</summary>
    private async Task DecideAsync()
    {
        var ledger = await _run.State.GetLedgerFolderAsync(_run.Plan.Name, _migration.Name, _mailboxRun.Key, _folder.Path, _cancellationToken);
        var sameValidity = ledger.FolderValidity is null || ledger.FolderValidity == _validity;
        _known = sameValidity ? ledger.SourceIds : new HashSet<string>();
        _relink = sameValidity ? null : new KeyMultiset(ledger.DedupKeys);
        _flagTarget = _delta && _migration.SyncFlags && sameValidity ? _target as IFlagSyncTarget : null;
        // With CONDSTORE the source names the messages whose flags changed since the saved cursor: then only new messages
        // are listed, as without syncFlags. Otherwise every message is listed (flags only, no bodies) to compare flags.
        _changedSince = _flagTarget is not null && _source is IFlagChangeSource && _folder.Cursor?.HighestModSeq is not null
            && _savedCursor is { HighestModSeq: { } savedModSeq } && _savedCursor.UidValidity == _validity
                ? savedModSeq
                : null;
        _after = _delta && sameValidity && (_flagTarget is null || _changedSince is not null) ? CopyRules.MaxNumericId(_known) : null;
        // A full listing tells which of the folder's ledger entries no listed message claims (see UnclaimedLedgerEntries).
        if (_after is null && _relink is null)
        {
            _unclaimed = UnclaimedLedgerEntries.For(await _mailboxRun.LedgerAsync(_cancellationToken), _folder.Path, _validity);
        }

        // Keys come from the fetched bytes when nothing needs them before the copy: no relinking, no known message listed,
        // no ledger entry of the folder left to claim, and a target folder without messages the ledger does not know. (When
        // the cursor says nothing arrived, nothing will be copied: the target is not asked.)
        _keysFromContent = _source is IContentKeySource && _relink is null && !CopyRules.NothingArrived(_folder, _savedCursor)
            && (_known.Count == 0 || _after is not null) && (_unclaimed is null || _unclaimed.IsEmpty)
            && (await _mailboxRun.GetPresenceAsync(_targetFolder, _target, _cancellationToken)).Count == 0;
        _split = ShouldSplit();
    }

    private async Task<List<string>> CopyAsync()
    {
        try
        {
            await ListAndCopyAsync();
        }
        catch (Exception ex)
        {
            await _pipeline.AbandonAsync(ex);
            if (_badItemLimitHit)
            {
                await FlushRecordsAsync();
            }

            throw;
        }

        if (_flagTarget is not null && _changedSince is { } since)
        {
            await foreach (var change in ((IFlagChangeSource)_source).ListFlagChangesAsync(_folder, since, _cancellationToken))
            {
                if (_known.Contains(change.SourceId))
                {
                    await AddFlagUpdateAsync(change.SourceId, change.Flags, change.Keywords);
                }
            }
        }

        if (_flagTarget is not null && _flagUpdates.Count > 0)
        {
            var changed = await _flagTarget.SyncFlagsAsync(_targetFolder, _flagUpdates, _cancellationToken);
            _mailboxRun.Result.Counters.AddFlagsUpdated(changed);
            _mailboxRun.Log.Information("Brought flag changes of {Changed} of {Checked} messages across to {TargetFolder}", changed, _flagUpdates.Count, _targetFolder.Path);
        }

        // Copied before, deleted at the source since: reported, never deleted from the target. A full listing names them; a
        // listing after the ledger's highest id leaves the folder's count to tell how many at least.
        var vanished = _after is null ? _known.Count - _knownListed : CopyRules.Vanished(_known.Count, _folder.MessageCount, _listed);
        if (vanished > 0)
        {
            _mailboxRun.Result.Counters.AddVanished(vanished);
            _mailboxRun.Log.Information("{Vanished} messages copied from {Folder} before are no longer in the source; they stay in the target", vanished, _folder.Path);
        }

        return _expected;
    }

    private async Task ListAndCopyAsync()
    {
        var sizeLimit = _target.MaxMessageSize;
        var listing = _keysFromContent
            ? ((IContentKeySource)_source).ListMessagesWithoutKeysAsync(_folder, _after, _cancellationToken)
            : _source.ListMessagesAsync(_folder, _after, _cancellationToken);
        await foreach (var summary in listing)
        {
            _listed++;
            // Every listed id claims its entry; an entry for the id counts as known even where the folder's id set lost it.
            var claimed = _unclaimed?.Claim(summary.SourceId) is not null;
            var known = _known.Contains(summary.SourceId);
            if (claimed || known)
            {
                _knownListed += known ? 1 : 0;
                _expected.Add(summary.DedupKey);
                if (_flagTarget is not null)
                {
                    await AddFlagUpdateAsync(summary.SourceId, summary.Flags, summary.Keywords);
                }

                continue;
            }

            if (summary.PlacedIn is { } placedIn)
            {
                _events.Add(Event(summary, "placed-elsewhere", $"one copy of a message with several labels, placed in {placedIn} (labelCopies: {_migration.LabelCopies.Yaml()})"));
                _mailboxRun.Result.Counters.AddPlacedElsewhere();
                continue;
            }

            var filteredReason = CopyRules.FilterReason(summary, _migration.Filters);
            if (filteredReason is not null)
            {
                _events.Add(Event(summary, "filtered", filteredReason));
                _mailboxRun.Result.Counters.AddFiltered();
                continue;
            }

            if (sizeLimit is { } limitBytes && summary.Size > limitBytes)
            {
                _events.Add(Event(summary, "bad-item", $"message of {Executor.FormatSize(summary.Size)} is larger than the target accepts ({Executor.FormatSize(limitBytes)})"));
                _mailboxRun.Result.Counters.AddBadItem();
                continue;
            }

            if (summary.Warning is not null)
            {
                _events.Add(Event(summary, "warning", summary.Warning));
                _mailboxRun.Result.Counters.AddWarning();
            }

            // With keys from content the key is added to the expected ones once the bytes are fetched.
            if (!_keysFromContent)
            {
                _expected.Add(summary.DedupKey);
                if (_relink is not null && _relink.TryTake(summary.DedupKey))
                {
                    _records.Add(Entry(summary, LedgerOutcomes.Relinked, null, null));
                    _mailboxRun.Result.Counters.AddPresent();
                    continue;
                }

                // Decided once every id of the folder has claimed its entry.
                if (_unclaimed is not null && _unclaimed.MayMatch(summary))
                {
                    _suspects.Add(summary);
                    continue;
                }
            }

            await MatchOrQueueAsync(summary);
        }

        await TakeUnclaimedAsync();
        await CopyPendingAsync();
        await _pipeline.DrainAsync();
        await FlushRecordsAsync();
    }

    /// <summary>A message the ledger does not know: present in the target already (a copy the ledger lost), or queued for the copy.</summary>
    private async Task MatchOrQueueAsync(SourceMessage summary)
    {
        if (!_keysFromContent)
        {
            var presence = await _mailboxRun.GetPresenceAsync(_targetFolder, _target, _cancellationToken);
            if (presence.TryTake(summary))
            {
                _records.Add(Entry(summary, LedgerOutcomes.Present, null, null));
                _mailboxRun.Result.Counters.AddPresent();
                if (_records.Count >= 500)
                {
                    await FlushRecordsAsync();
                }

                return;
            }
        }

        _pending.Add(summary);
        _pendingBytes += summary.Size;
        if (_split ? _pending.Count >= SegmentMessages : _pending.Count >= _run.Options.BatchMessages || _pendingBytes >= _run.Options.BatchBytes)
        {
            await CopyPendingAsync();
        }
    }

    /// <summary>
    /// After the full listing: an unknown message with the key and size of an entry no listed id claimed is that entry's
    /// message under an id the ledger no longer holds (damage); its copy is the entry's copy, so it is relinked, not copied.
    /// </summary>
    private async Task TakeUnclaimedAsync()
    {
        var relinked = 0;
        foreach (var summary in _suspects)
        {
            if (_unclaimed!.TakeFor(summary) is { } entry)
            {
                _records.Add(Entry(summary, LedgerOutcomes.Relinked, entry.Sha256, entry.TargetId));
                _mailboxRun.Result.Counters.AddPresent();
                relinked++;
                continue;
            }

            await MatchOrQueueAsync(summary);
        }

        if (relinked > 0)
        {
            _mailboxRun.Log.Warning("{Count} messages of {Folder} were unknown to the ledger under their ids but match, by dedup key and size, entries whose ids the source no longer lists: taken as already copied (the ledger may be damaged)",
                relinked, _folder.Path);
        }

        _suspects.Clear();
    }

    /// <summary>The queued messages: one batch through the folder's pipeline, or a split folder's segment in ranges.</summary>
    private async Task CopyPendingAsync()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var batch = _pending.ToList();
        _pending.Clear();
        _pendingBytes = 0;
        if (_split)
        {
            await CopyInRangesAsync(batch);
            return;
        }

        try
        {
            await _pipeline.CopyBatchAsync(batch);
        }
        catch (StopRequestedException)
        {
            await FlushRecordsAsync();
            throw;
        }
    }

    private void AddExpected(string key)
    {
        lock (_expected)
        {
            _expected.Add(key);
        }
    }
}
