using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// One mailbox's step records that need no write of their own: a folder's copy done, the target's folders ensured, the
/// copy done, and the starts and ends of the preflights and of the verify. Each goes into the mailbox's next step write
/// (the start of ensure-folders and the copy, a folder's start, the verify's end, a failure), in the same transaction, with
/// the time it really happened. Only records whose loss in a crash costs nothing but work are deferred: the preflights
/// change nothing and run on every apply; a step left running or not done is run again (folders that exist are not
/// created twice; a folder not marked done is listed whole, and the ledger keeps what was copied from being copied
/// again). Many small mailboxes paid a commit of the state's one writer for each (design notes, "Many small mailboxes").
/// </summary>
internal sealed class DeferredStepEnds
{
    private readonly List<StepRecord> _records = [];

    /// <summary>Defers <paramref name="record"/>; an earlier deferred record of the same step (its start) is replaced.</summary>
    public void Add(StepRecord record)
    {
        lock (_records)
        {
            _records.RemoveAll(deferred => deferred.StepId == record.StepId);
            _records.Add(record);
        }
    }

    /// <summary>
    /// The deferred records followed by <paramref name="records"/>, and none deferred any more. A deferred record of a step
    /// that <paramref name="records"/> records again is dropped: the newer one is what the step is now.
    /// </summary>
    public IReadOnlyList<StepRecord> TakeWith(IReadOnlyList<StepRecord> records)
    {
        lock (_records)
        {
            if (_records.Count == 0)
            {
                return records;
            }

            var all = new List<StepRecord>(_records.Count + records.Count);
            foreach (var deferred in _records)
            {
                if (!records.Any(record => record.StepId == deferred.StepId))
                {
                    all.Add(deferred);
                }
            }

            _records.Clear();
            all.AddRange(records);
            return all;
        }
    }
}
