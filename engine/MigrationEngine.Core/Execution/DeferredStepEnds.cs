using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// One mailbox's step ends that need no write of their own: a folder's copy done, the target's folders ensured. Each goes
/// into the mailbox's next step write (its next folder's start, the copy's end, a failure), in the same transaction, with
/// the time it really ended. Only ends whose loss in a crash costs nothing but work are deferred: a step left running is
/// run again (folders that exist are not created twice; a folder not marked done is listed whole, and the ledger keeps
/// what was copied from being copied again). Many small mailboxes paid a commit of the state's one writer for each
/// (design notes, "Many small mailboxes").
/// </summary>
internal sealed class DeferredStepEnds
{
    private readonly List<StepRecord> _records = [];

    public void Add(StepRecord record)
    {
        lock (_records)
        {
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
