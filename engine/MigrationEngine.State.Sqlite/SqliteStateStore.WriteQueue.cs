using Microsoft.Data.Sqlite;

namespace MigrationEngine.State.Sqlite;

/// <summary>
/// The writer's queue. Every write is queued; the caller that finds no write running runs the queue itself, its own
/// write and every write queued behind it, one after the other on its thread, each in its own transaction as before,
/// and completes each caller's task as its write ends.
/// </summary>
/// <remarks>
/// Why not a lock: behind an asynchronous lock (a <see cref="SemaphoreSlim"/>, as before) every write waits for the
/// previous holder's release and then for a thread-pool thread to resume it, and on a busy pool that hand-over costs more
/// than the write. With 8 small mailboxes at once (11 writes each) the writes waited 41-50 s in all over a 7-8 second
/// apply while the writer was busy 3.2-3.9 s: the one writer was the run's bottleneck, and the cores idled. Run from the
/// queue, the writes waited 6-13 s in all (design notes, "Many small mailboxes"). What a write commits, and when its caller learns it, are unchanged: a caller resumes after
/// its own write's transaction has ended, with its result or its own failure; writes of one caller keep their order
/// (a caller waits for each before the next).
/// </remarks>
public sealed partial class SqliteStateStore
{
    /// <summary>
    /// Writes one caller runs for others before it hands the rest of the queue to a pool thread, so a caller that found
    /// the writer idle is not held up by a queue that keeps refilling.
    /// </summary>
    private const int WritesPerTurn = 64;

    private readonly Lock _queueLock = new();
    private readonly Queue<IQueuedWrite> _queue = new();
    private bool _running;

    /// <summary>Holds the writer until disposed, as a long write would: for tests of what queues behind it.</summary>
    internal async Task<IDisposable> HoldWriterAsync()
    {
        await _writeGate.WaitAsync();
        return new GateRelease(_writeGate);
    }

    private Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var write = new QueuedWrite<T>(this, work, cancellationToken);
        lock (_queueLock)
        {
            _queue.Enqueue(write);
            if (_running)
            {
                return write.Task;
            }

            _running = true;
        }

        return RunQueueThenAsync(write);
    }

    private async Task<T> RunQueueThenAsync<T>(QueuedWrite<T> own)
    {
        await RunQueueAsync();
        return await own.Task;
    }

    /// <summary>Runs queued writes until the queue is empty or the turn is over (then a pool thread goes on with the rest).</summary>
    private async Task RunQueueAsync()
    {
        // Only DisposeAsync competes for the gate: the writer is closed under it, and writes queued after that fail.
        await _writeGate.WaitAsync();
        var handOver = false;
        try
        {
            for (var ran = 1; ; ran++)
            {
                IQueuedWrite? next;
                lock (_queueLock)
                {
                    if (!_queue.TryDequeue(out next))
                    {
                        _running = false;
                        break;
                    }
                }

                next.Run();
                if (ran == WritesPerTurn)
                {
                    // The queue stays marked as running: writes queued meanwhile wait for the pool thread below.
                    handOver = true;
                    break;
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }

        if (handOver)
        {
            _ = Task.Run(RunQueueAsync);
        }
    }

    private sealed class GateRelease(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    private interface IQueuedWrite
    {
        /// <summary>Runs the write on the writer connection and completes its caller's task; never throws.</summary>
        void Run();
    }

    private sealed class QueuedWrite<T>(SqliteStateStore store, Func<SqliteConnection, T> work, CancellationToken cancellationToken) : IQueuedWrite
    {
        // The callers resume on the pool, not inside the loop that runs the queue.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _completion.Task;

        public void Run()
        {
            try
            {
                ObjectDisposedException.ThrowIf(store._disposed, store);
                cancellationToken.ThrowIfCancellationRequested();
                _completion.TrySetResult(work(store._writer));
            }
            catch (SqliteException ex)
            {
                _completion.TrySetException(StateStoreMessages.Translate(store._databasePath, ex));
            }
            catch (OperationCanceledException ex)
            {
                _completion.TrySetCanceled(ex.CancellationToken);
            }
            catch (Exception ex)
            {
                _completion.TrySetException(ex);
            }
        }
    }
}
