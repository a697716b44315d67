namespace MigrationEngine.Core.Execution;

/// <summary>A message in a target folder: its dedup key and, where the target keeps them, its size and internal date.</summary>
public sealed record TargetMessage(string DedupKey, long? Size = null, DateTimeOffset? InternalDate = null);

/// <summary>
/// The target folder's messages that no ledger entry accounts for: only these can be copies of messages the ledger lost.
/// A source message is one of them when the key is the same and, where both sides know it, the internal date is the same
/// second; among those, one of the same size is taken first (sizes are compared only as a preference: a target may count a
/// message's line ends differently from the source).
/// </summary>
internal sealed class PresenceSet
{
    private readonly Dictionary<string, List<TargetMessage>> _byKey = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private int _count;

    public PresenceSet(IEnumerable<TargetMessage>? messages = null)
    {
        foreach (var message in messages ?? [])
        {
            if (!_byKey.TryGetValue(message.DedupKey, out var list))
            {
                _byKey[message.DedupKey] = list = [];
            }

            list.Add(message);
            _count++;
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Removes the message a ledger entry accounts for: of its key, one of its size when there is one.</summary>
    public void Remove(string key, long size)
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var list) && list.Count > 0)
            {
                var index = list.FindIndex(m => m.Size == size);
                TakeAt(key, list, index >= 0 ? index : 0);
            }
        }
    }

    /// <summary>Takes the target message that is this source message; false when there is none (the message is to be copied).</summary>
    public bool TryTake(SourceMessage summary)
    {
        lock (_gate)
        {
            if (!_byKey.TryGetValue(summary.DedupKey, out var list))
            {
                return false;
            }

            var index = list.FindIndex(m => SameDate(m, summary) && m.Size == summary.Size);
            if (index < 0)
            {
                index = list.FindIndex(m => SameDate(m, summary));
            }

            if (index < 0)
            {
                return false;
            }

            TakeAt(summary.DedupKey, list, index);
            return true;
        }
    }

    /// <summary>True unless both sides know the internal date and they differ (IMAP's INTERNALDATE has whole seconds).</summary>
    private static bool SameDate(TargetMessage message, SourceMessage summary) =>
        message.InternalDate is not { } held || summary.InternalDate is not { } date
        || Math.Abs((held.UtcDateTime - date.UtcDateTime).TotalSeconds) < 1;

    private void TakeAt(string key, List<TargetMessage> list, int index)
    {
        list.RemoveAt(index);
        _count--;
        if (list.Count == 0)
        {
            _byKey.Remove(key);
        }
    }
}
