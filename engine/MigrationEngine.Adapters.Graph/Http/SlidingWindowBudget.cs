using System.Diagnostics;

namespace MigrationEngine.Adapters.Graph.Http;

/// <summary>
/// A quota over a sliding window (requests per 10 minutes, bytes per 5 minutes). Not thread-safe: the mailbox's limits
/// check and charge their windows together under one lock, so that a request is charged to all of them at the moment
/// it may leave, never to one while it waits for another.
/// </summary>
internal sealed class SlidingWindowBudget(long capacity, TimeSpan window)
{
    private readonly Queue<(long Timestamp, long Amount)> _spent = new();
    private readonly long _windowTicks = (long)(window.TotalSeconds * Stopwatch.Frequency);
    private long _used;

    /// <summary>How long until <paramref name="amount"/> fits (zero when it fits now). One item larger than the whole window passes alone.</summary>
    public TimeSpan DelayFor(long amount, long now)
    {
        Evict(now);
        amount = Math.Min(amount, capacity);
        if (amount <= 0 || _used + amount <= capacity)
        {
            return TimeSpan.Zero;
        }

        var excess = _used + amount - capacity;
        long freed = 0;
        var until = now;
        foreach (var (timestamp, spent) in _spent)
        {
            freed += spent;
            until = timestamp;
            if (freed >= excess)
            {
                break;
            }
        }

        var delay = Stopwatch.GetElapsedTime(now, until + _windowTicks);
        return delay < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : delay;
    }

    public void Charge(long amount, long now)
    {
        amount = Math.Min(amount, capacity);
        if (amount > 0)
        {
            _spent.Enqueue((now, amount));
            _used += amount;
        }
    }

    private void Evict(long now)
    {
        while (_spent.Count > 0 && now - _spent.Peek().Timestamp >= _windowTicks)
        {
            _used -= _spent.Dequeue().Amount;
        }
    }
}
