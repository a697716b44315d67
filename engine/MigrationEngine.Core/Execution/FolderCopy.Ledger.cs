using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>What one folder copy writes: ledger entries and item events (through the mailbox's lease), and the target ids flag sync addresses.</summary>
internal sealed partial class FolderCopy
{
    private async Task FlushRecordsAsync()
    {
        await RecordAsync(_records.ToList(), _events.ToList());
        _records.Clear();
        _events.Clear();
    }

    private async Task RecordAsync(List<LedgerEntry> batchRecords, List<ItemEvent> batchEvents)
    {
        if (batchRecords.Count > 0)
        {
            await _mailboxRun.Lease.RecordMessagesAsync(_run.State, batchRecords, CancellationToken.None);
        }

        if (batchEvents.Count > 0)
        {
            await _run.State.RecordItemEventsAsync(_run.Plan.Name, batchEvents, CancellationToken.None);
        }
    }

    // \Deleted is not brought across: the copy would vanish at the target's next EXPUNGE.
    private async Task AddFlagUpdateAsync(string sourceId, MailFlags flags, IReadOnlyList<string> keywords)
    {
        _targetIds ??= await TargetIdsAsync();
        if (_targetIds.TryGetValue(sourceId, out var targetId))
        {
            _flagUpdates.Add(new FlagUpdate(targetId, flags & ~MailFlags.Deleted, keywords));
        }
    }

    /// <summary>Source id to target id of the messages the ledger says were copied from the folder (for flag sync).</summary>
    private async Task<Dictionary<string, string>> TargetIdsAsync()
    {
        var entries = await _run.State.GetLedgerEntriesAsync(_run.Plan.Name, _migration.Name, _mailboxRun.Key, _cancellationToken);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.TargetId is { } targetId && entry.FolderValidity == _validity
                && string.Equals(entry.Folder, _folder.Path, StringComparison.Ordinal) && string.Equals(entry.TargetFolder, _targetFolder.Path, StringComparison.Ordinal))
            {
                ids[entry.SourceId] = targetId;
            }
        }

        return ids;
    }

    private LedgerEntry Entry(SourceMessage summary, string outcome, string? sha, string? targetId) => new()
    {
        Migration = _migration.Name,
        Mailbox = _mailboxRun.Key,
        Folder = _folder.Path,
        FolderValidity = _validity,
        SourceId = summary.SourceId,
        MessageId = summary.MessageId,
        DedupKey = summary.DedupKey,
        Sha256 = sha,
        Size = summary.Size,
        TargetFolder = _targetFolder.Path,
        TargetId = targetId,
        Outcome = outcome,
        RecordedAt = DateTimeOffset.UtcNow,
        RunId = _run.RunId,
    };

    private ItemEvent Event(SourceMessage summary, string kind, string reason) => new()
    {
        Migration = _migration.Name,
        Mailbox = _mailboxRun.Key,
        Folder = _folder.Path,
        SourceId = summary.SourceId,
        Kind = kind,
        Reason = reason,
        Size = summary.Size,
        RunId = _run.RunId,
        RecordedAt = DateTimeOffset.UtcNow,
    };
}
