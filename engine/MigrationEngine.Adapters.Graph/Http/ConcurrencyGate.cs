namespace MigrationEngine.Adapters.Graph.Http;

/// <summary>
/// A semaphore whose callers take several slots at once, all or none, first come first served: a $batch whose steps
/// Graph runs 4 at a time holds 4 of the mailbox's 4 slots, and two batches cannot each hold half and wait for the rest.
/// </summary>
internal sealed class ConcurrencyGate(int size)
{
    private readonly int _capacity = size;
    private readonly object _lock = new();
    private readonly LinkedList<(int Slots, TaskCompletionSource Ready)> _waiters = new();
    private int _free = size;
    private int _peak;

    /// <summary>Slots held right now.</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _capacity - _free;
            }
        }
    }

    /// <summary>Most slots ever held at once.</summary>
    public int Peak
    {
        get
        {
            lock (_lock)
            {
                return _peak;
            }
        }
    }

    /// <summary>Takes <paramref name="slots"/> (at most the capacity) when they are free and nobody waits before us.</summary>
    public async Task<int> WaitAsync(int slots, CancellationToken cancellationToken)
    {
        slots = Math.Clamp(slots, 1, _capacity);
        LinkedListNode<(int, TaskCompletionSource)> node;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _free >= slots)
            {
                Take(slots);
                return slots;
            }

            node = _waiters.AddLast((slots, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }

        try
        {
            await node.Value.Item2.Task.WaitAsync(cancellationToken);
            return slots;
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (node.List is not null)
                {
                    _waiters.Remove(node);
                    Wake();
                    throw;
                }
            }

            // Granted just as the wait was cancelled: give the slots back.
            Release(slots);
            throw;
        }
    }

    public void Release(int slots)
    {
        lock (_lock)
        {
            _free += slots;
            Wake();
        }
    }

    private void Wake()
    {
        while (_waiters.First is { } first && _free >= first.Value.Slots)
        {
            _waiters.RemoveFirst();
            Take(first.Value.Slots);
            first.Value.Ready.TrySetResult();
        }
    }

    private void Take(int slots)
    {
        _free -= slots;
        _peak = Math.Max(_peak, _capacity - _free);
    }
}
