namespace MigrationEngine.Core.Execution;

/// <summary>Dedup keys with counts: two messages may share a Message-ID, and each copy in a target accounts for one.</summary>
public sealed class KeyMultiset
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public KeyMultiset(IEnumerable<string>? keys = null)
    {
        if (keys is not null)
        {
            foreach (var key in keys)
            {
                Add(key);
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _counts.Values.Sum();
            }
        }
    }

    public void Add(string key)
    {
        lock (_gate)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>The keys left, with how many of each (a snapshot).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Remaining()
    {
        lock (_gate)
        {
            return [.. _counts.Where(pair => pair.Value > 0)];
        }
    }

    /// <summary>Removes one occurrence; false when none is left.</summary>
    public bool TryTake(string key)
    {
        lock (_gate)
        {
            if (!_counts.TryGetValue(key, out var count) || count == 0)
            {
                return false;
            }

            if (count == 1)
            {
                _counts.Remove(key);
            }
            else
            {
                _counts[key] = count - 1;
            }

            return true;
        }
    }
}
