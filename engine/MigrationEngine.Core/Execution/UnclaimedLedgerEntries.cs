using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// The ledger entries of one source folder that no message of a full listing has claimed by its source id. An entry
/// stays unclaimed when its message left the source, or when the ledger was damaged so that the entry no longer names
/// its message (a byte changed in the source id, in the table or only in the index SQLite reads it from). The second
/// case is the dangerous one: the message is then "unknown" to the ledger while the entry still accounts for its copy in
/// the target, so the presence check (target keys minus ledger keys, or target count equal to ledger count) finds
/// nothing and the message would be appended a second time. So an unknown message waits for the end of the listing and
/// then takes an unclaimed entry with its dedup key and size, if one is left: that entry's copy is its copy.
/// </summary>
/// <remarks>
/// Only a full listing can say which entries are unclaimed; a delta listing from the highest known id lists none of the
/// old ids. Size is compared too, so a new message that merely shares a Message-ID with a vanished one is still copied.
/// </remarks>
internal sealed class UnclaimedLedgerEntries
{
    private readonly Dictionary<string, LedgerEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, long Size), int> _open = [];

    private UnclaimedLedgerEntries(IEnumerable<LedgerEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (_byId.TryAdd(entry.SourceId, entry))
            {
                var slot = (entry.DedupKey, entry.Size);
                _open[slot] = _open.GetValueOrDefault(slot) + 1;
            }
        }
    }

    /// <summary>
    /// The folder's entries under its current validity that account for a message in the target (copied, present or
    /// relinked), read from the mailbox's ledger.
    /// </summary>
    public static UnclaimedLedgerEntries For(IEnumerable<LedgerEntry> mailboxLedger, string folder, long validity) =>
        new(mailboxLedger.Where(e => e.FolderValidity == validity && string.Equals(e.Folder, folder, StringComparison.Ordinal)
            && e.Outcome is LedgerOutcomes.Copied or LedgerOutcomes.Present or LedgerOutcomes.Relinked));

    /// <summary>No entry is left unclaimed (or the folder has none).</summary>
    public bool IsEmpty => _open.Count == 0;

    /// <summary>A listed message claims the entry with its source id (whatever else the ledger says about it).</summary>
    public LedgerEntry? Claim(string sourceId)
    {
        if (!_byId.Remove(sourceId, out var entry))
        {
            return null;
        }

        Release((entry.DedupKey, entry.Size));
        return entry;
    }

    /// <summary>Whether an entry with this key and size is still unclaimed (the message may be its copy).</summary>
    public bool MayMatch(SourceMessage summary) => _open.ContainsKey((summary.DedupKey, summary.Size));

    /// <summary>
    /// Once the whole folder is listed: takes an unclaimed entry with the message's key and size, whose target copy is then
    /// the message's copy; null when none is left.
    /// </summary>
    public LedgerEntry? TakeFor(SourceMessage summary)
    {
        var slot = (summary.DedupKey, summary.Size);
        if (!_open.ContainsKey(slot))
        {
            return null;
        }

        var entry = _byId.Values.First(e => e.DedupKey == summary.DedupKey && e.Size == summary.Size);
        _byId.Remove(entry.SourceId);
        Release(slot);
        return entry;
    }

    private void Release((string Key, long Size) slot)
    {
        if (_open.TryGetValue(slot, out var count))
        {
            if (count <= 1)
            {
                _open.Remove(slot);
            }
            else
            {
                _open[slot] = count - 1;
            }
        }
    }
}
