namespace MigrationEngine.Core.Execution;

/// <summary>
/// Where the connection pairs of one mailbox find work: folders from the folder queue, and ranges of a large folder that
/// its copy posted so that idle pairs copy them beside it (see <see cref="CopyRange"/>). A pair takes a posted range before
/// a new folder, so the largest folder, which is the critical path, finishes first; a pair with nothing to take waits while
/// a folder is still being copied, since that folder may post ranges yet. A folder is taken only once it is ready (its
/// target folder exists: <see cref="TargetFolderEnsurer"/> creates them while the pairs copy); a pair waits while a folder is
/// not ready yet.
/// </summary>
internal sealed class RangeBoard(int pairs, IEnumerable<FolderAssignment> folders, Func<FolderAssignment, bool>? isReady = null) : IDisposable
{
    private readonly object _gate = new();
    private readonly List<FolderAssignment> _folders = [.. folders];
    private readonly Func<FolderAssignment, bool> _isReady = isReady ?? (_ => true);
    private readonly Queue<CopyRange> _open = new();
    private readonly CancellationTokenSource _idle = new();
    private int _activeFolders;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cancelled once no folder is left to copy: ends a helper's wait for a connection slot (HostSlotGate).</summary>
    public CancellationToken Idle => _idle.Token;

    /// <summary>True while a posted range waits for a pair.</summary>
    public bool HasOpenRange
    {
        get
        {
            lock (_gate)
            {
                return _open.Any(range => !range.IsClaimed);
            }
        }
    }

    /// <summary>How many pairs copy this mailbox's folders: the most ranges a folder is split into.</summary>
    public int Pairs { get; } = Math.Max(1, pairs);

    public void Post(IEnumerable<CopyRange> ranges)
    {
        lock (_gate)
        {
            foreach (var range in ranges)
            {
                _open.Enqueue(range);
            }

            SignalLocked();
        }
    }

    /// <summary>The next range posted and not yet taken by anyone (its folder's copy takes its own ranges too).</summary>
    public bool TryTakeRange(out CopyRange range)
    {
        lock (_gate)
        {
            while (_open.TryDequeue(out var next))
            {
                if (next.TryClaim())
                {
                    range = next;
                    return true;
                }
            }
        }

        range = null!;
        return false;
    }

    /// <summary>
    /// Takes the first ready folder in queue order and counts it as active in one step, so no pair leaves while a folder may
    /// still post ranges.
    /// </summary>
    public bool TryTakeFolder(out FolderAssignment folder)
    {
        lock (_gate)
        {
            var index = FirstReadyLocked();
            if (index >= 0)
            {
                folder = _folders[index];
                _folders.RemoveAt(index);
                _activeFolders++;
                return true;
            }

            folder = null!;
            return false;
        }
    }

    /// <summary>A folder may have become ready: wakes the pairs waiting for work.</summary>
    public void FolderReady()
    {
        lock (_gate)
        {
            SignalLocked();
        }
    }

    public void FolderFinished()
    {
        bool idle;
        lock (_gate)
        {
            _activeFolders--;
            idle = _activeFolders == 0 && _folders.Count == 0;
            SignalLocked();
        }

        // Outside the lock: cancellation runs the waiters' callbacks on this thread.
        if (idle)
        {
            _idle.Cancel();
        }
    }

    /// <summary>
    /// Null when there is nothing left to wait for (no folder being copied or waiting, no range open); a completed task when
    /// a range is open or a folder ready; otherwise a task that completes when a range is posted, a folder finishes or one
    /// becomes ready.
    /// </summary>
    public Task? NextChange()
    {
        lock (_gate)
        {
            // Ranges their folder's copy took itself are dropped here.
            while (_open.TryPeek(out var first) && first.IsClaimed)
            {
                _open.Dequeue();
            }

            if (_open.Count > 0 || FirstReadyLocked() >= 0)
            {
                return Task.CompletedTask;
            }

            return _activeFolders == 0 && _folders.Count == 0 ? null : _changed.Task;
        }
    }

    public void Dispose() => _idle.Dispose();

    private int FirstReadyLocked() => _folders.FindIndex(folder => _isReady(folder));

    private void SignalLocked()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}

/// <summary>
/// A contiguous run of a folder's messages to copy (ascending source ids), appended in order on whichever pair takes it.
/// Taken exactly once; its outcome is awaited by the folder's copy, which alone records the folder as done.
/// </summary>
internal sealed class CopyRange(IReadOnlyList<SourceMessage> messages, Func<ConnectionPair, Task> copy, Action<Exception> failed)
{
    private int _claimed;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<SourceMessage> Messages { get; } = messages;

    public Task Done => _done.Task;

    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    public bool IsClaimed => Volatile.Read(ref _claimed) == 1;

    /// <summary>Copies the range on <paramref name="pair"/>; never throws: the outcome goes to <see cref="Done"/>.</summary>
    public async Task RunOnAsync(ConnectionPair pair)
    {
        try
        {
            await copy(pair);
            _done.TrySetResult();
        }
        catch (Exception ex)
        {
            failed(ex);
            // A command cut short leaves its connection in an unknown state: the pair's next use opens new ones.
            await pair.ReopenAsync(CancellationToken.None);
            _done.TrySetException(ex);
        }
    }
}
