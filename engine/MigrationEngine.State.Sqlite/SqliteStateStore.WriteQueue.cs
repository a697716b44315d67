using Microsoft.Data.Sqlite;

namespace MigrationEngine.State.Sqlite;

/// <summary>
/// The writer's queue. Every write is queued; the caller that finds no write running runs the queue itself, its own
/// write and every write queued behind it, one after the other on its thread, and completes each caller's task as its
/// write ends. Writes that nothing but the database can fail (step records, lease claims, releases and heartbeats,
/// cursors) share one commit with the ones of that kind queued right behind them; every other write has its own
/// transaction.
/// </summary>
/// <remarks>
/// Why not a lock: behind an asynchronous lock (a <see cref="SemaphoreSlim"/>, as before) every write waits for the
/// previous holder's release and then for a thread-pool thread to resume it, and on a busy pool that hand-over costs more
/// than the write. With 8 small mailboxes at once (11 writes each) the writes waited 41-50 s in all over a 7-8 second
/// apply while the writer was busy 3.2-3.9 s: the one writer was the run's bottleneck, and the cores idled. Run from the
/// queue, the writes waited 6-13 s in all (design notes, "Many small mailboxes"). A caller resumes after the transaction
/// of its write has ended, with its result or a failure; writes of one caller keep their order (a caller waits for each
/// before the next).
/// </remarks>
public sealed partial class SqliteStateStore
{
    /// <summary>
    /// Writes one caller runs for others before it hands the rest of the queue to a pool thread, so a caller that found
    /// the writer idle is not held up by a queue that keeps refilling.
    /// </summary>
    private const int WritesPerTurn = 64;

    /// <summary>Writes that share one commit at most.</summary>
    private const int WritesPerSharedCommit = 32;

    private readonly Lock _queueLock = new();
    private readonly Queue<IQueuedWrite> _queue = new();
    private bool _running;

    /// <summary>Holds the writer until disposed, as a long write would: for tests of what queues behind it.</summary>
    internal async Task<IDisposable> HoldWriterAsync()
    {
        await _writeGate.WaitAsync();
        return new GateRelease(_writeGate);
    }

    /// <summary>A write with a transaction of its own (<paramref name="work"/> begins and commits it where it needs one).</summary>
    private Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var write = new QueuedWrite<T>(work, cancellationToken);
        return Enqueue(write) ? RunQueueThenAsync(write.Task) : write.Task;
    }

    /// <summary>
    /// A write that may share its commit with the ones queued right behind it (see <see cref="RunSharedCommit"/>):
    /// <paramref name="work"/> runs inside a transaction it is given, and nothing but the database may make it fail (no
    /// precondition that refuses it by throwing, as the fenced ledger write has).
    /// </summary>
    private Task<T> WriteSharingCommitAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var write = new SharedCommitWrite<T>(work, cancellationToken);
        return Enqueue(write) ? RunQueueThenAsync(write.Task) : write.Task;
    }

    /// <summary>Queues the write; true when no write was running, and the caller is to run the queue.</summary>
    private bool Enqueue(IQueuedWrite write)
    {
        lock (_queueLock)
        {
            _queue.Enqueue(write);
            if (_running)
            {
                return false;
            }

            _running = true;
            return true;
        }
    }

    private async Task<T> RunQueueThenAsync<T>(Task<T> own)
    {
        await RunQueueAsync();
        return await own;
    }

    /// <summary>Runs queued writes until the queue is empty or the turn is over (then a pool thread goes on with the rest).</summary>
    private async Task RunQueueAsync()
    {
        // Only DisposeAsync competes for the gate: the writer is closed under it, and writes queued after that fail.
        await _writeGate.WaitAsync();
        var handOver = false;
        try
        {
            for (var ran = 0; ;)
            {
                IQueuedWrite? next;
                List<ISharedCommitWrite>? shared = null;
                lock (_queueLock)
                {
                    if (!_queue.TryDequeue(out next))
                    {
                        _running = false;
                        break;
                    }

                    if (next is ISharedCommitWrite first)
                    {
                        shared = [first];
                        while (shared.Count < WritesPerSharedCommit && _queue.TryPeek(out var following) && following is ISharedCommitWrite more)
                        {
                            shared.Add(more);
                            _queue.Dequeue();
                        }
                    }
                }

                if (shared is null)
                {
                    next.Run(this);
                    ran++;
                }
                else
                {
                    RunSharedCommit(shared);
                    ran += shared.Count;
                }

                if (ran >= WritesPerTurn)
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

    /// <summary>
    /// Writes queued together in one IMMEDIATE transaction, each in queue order. Only the database can fail them (a full
    /// disk, a lock held past the busy timeout): then the transaction is rolled back and every write of the group fails with
    /// that cause, as each would have alone (not run again one by one: behind a lock that outlasted the timeout, each would
    /// wait that long again). A write cancelled while it waited is not written. Callers resume after the one commit.
    /// </summary>
    private void RunSharedCommit(List<ISharedCommitWrite> writes)
    {
        var live = writes.Where(write => !write.CancelIfRequested()).ToList();
        if (live.Count == 0)
        {
            return;
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction(deferred: false);
            foreach (var write in live)
            {
                write.RunIn(_writer, transaction);
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            // Rolled back: nothing of the group is written.
            var failure = ex is SqliteException sqlite ? StateStoreMessages.Translate(_databasePath, sqlite) : ex;
            live.ForEach(write => write.Fail(failure));
            return;
        }

        live.ForEach(write => write.Complete());
    }

    private sealed class GateRelease(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    private interface IQueuedWrite
    {
        /// <summary>Runs the write on the writer connection and completes its caller's task; never throws.</summary>
        void Run(SqliteStateStore store);
    }

    /// <summary>A write run inside a transaction the queue gives it, and completed once that transaction has ended.</summary>
    private interface ISharedCommitWrite : IQueuedWrite
    {
        /// <summary>Ends the write as cancelled, unwritten, when its caller gave up while it waited; true then.</summary>
        bool CancelIfRequested();

        /// <summary>Runs the write in <paramref name="transaction"/>, keeping its result for <see cref="Complete"/>.</summary>
        void RunIn(SqliteConnection writer, SqliteTransaction transaction);

        /// <summary>The transaction committed: the caller gets its result.</summary>
        void Complete();

        /// <summary>The transaction was rolled back: the caller gets <paramref name="failure"/>.</summary>
        void Fail(Exception failure);
    }

    private sealed class SharedCommitWrite<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken) : ISharedCommitWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);

        public void RunIn(SqliteConnection writer, SqliteTransaction transaction) => _result = work(writer, transaction);

        public void Complete() => _completion.TrySetResult(_result!);

        public void Fail(Exception failure) => _completion.TrySetException(failure);

        public void Run(SqliteStateStore store) => store.RunSharedCommit([this]);
    }

    private sealed class QueuedWrite<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken) : IQueuedWrite
    {
        // The callers resume on the pool, not inside the loop that runs the queue.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _completion.Task;

        public void Run(SqliteStateStore store)
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
