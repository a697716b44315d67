using System.Diagnostics;

namespace MigrationEngine.Adapters.Graph.Http;

/// <summary>
/// A quota over a sliding window (requests per 10 minutes, bytes per 5 minutes): a caller waits until its amount
/// fits instead of letting the server throttle it. Returns how long it waited.
/// </summary>
internal sealed class SlidingWindowBudget(long capacity, TimeSpan window)
{
    private readonly Queue<(long Timestamp, long Amount)> _spent = new();
    private readonly object _gate = new();
    private long _used;

    public async Task<TimeSpan> AcquireAsync(long amount, CancellationToken cancellationToken)
    {
        if (amount <= 0)
        {
            return TimeSpan.Zero;
        }

        // One item larger than the whole window can never fit: let it pass alone once the window is empty.
        amount = Math.Min(amount, capacity);
        var waited = Stopwatch.StartNew();
        var hadToWait = false;
        while (true)
        {
            TimeSpan delay;
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                Evict(now);
                if (_used + amount <= capacity)
                {
                    _spent.Enqueue((now, amount));
                    _used += amount;
                    return hadToWait ? waited.Elapsed : TimeSpan.Zero;
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

                delay = Stopwatch.GetElapsedTime(now, until + (long)(window.TotalSeconds * Stopwatch.Frequency));
                if (delay < TimeSpan.FromMilliseconds(1))
                {
                    delay = TimeSpan.FromMilliseconds(1);
                }
            }

            hadToWait = true;
            await Task.Delay(delay, cancellationToken);
        }
    }

    private void Evict(long now)
    {
        var windowTicks = (long)(window.TotalSeconds * Stopwatch.Frequency);
        while (_spent.Count > 0 && now - _spent.Peek().Timestamp >= windowTicks)
        {
            _used -= _spent.Dequeue().Amount;
        }
    }
}
