using System.Collections.Concurrent;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using Serilog;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// The one gate every connection to a server with <c>maxConnections</c> passes before it opens (whoever opens it: the
/// primary pair, the extra pairs of a mailbox, a reconnect), and leaves when it closes. Within the process a semaphore per
/// host bounds it; with a shared state each connection also holds one of the host's slots in the store, so that the cap
/// holds across every worker of the plan. One store round trip per connection opened and closed, none per message; the
/// worker's heartbeat keeps its slots, and a dead worker's slots are free again when its heartbeat expires.
/// </summary>
internal sealed class HostSlotGate(WorkerSession? worker, ILogger logger)
{
    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(150);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _local = new(StringComparer.Ordinal);

    /// <summary>The connection's slot, to dispose when it is closed; null when the endpoint has no cap.</summary>
    public async Task<IAsyncDisposable?> EnterAsync(EndpointDefinition endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.MaxConnections is not { } cap)
        {
            return null;
        }

        var host = HostKey(endpoint);
        var local = _local.GetOrAdd(host, _ => new SemaphoreSlim(cap));
        await local.WaitAsync(cancellationToken);
        if (worker is null)
        {
            return new Slot(() =>
            {
                local.Release();
                return Task.CompletedTask;
            });
        }

        try
        {
            var waited = false;
            while (true)
            {
                if (await worker.Store.TryAcquireHostSlotAsync(worker.PlanName, host, cap, worker.Registration.WorkerId, worker.Duration, cancellationToken) is { } slot)
                {
                    return StoreSlot(host, slot, local);
                }

                if (!waited)
                {
                    logger.Debug("All {Cap} connection slots of {Host} are held by workers of the plan: waiting", cap, host);
                    waited = true;
                }

                await Task.Delay(PollDelay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), cancellationToken);
            }
        }
        catch
        {
            local.Release();
            throw;
        }
    }

    /// <summary>
    /// The slots of both sides of a pair, or none: a pair never holds one side's slot while it waits for the other's. Two
    /// pairs that each held a source slot and waited for a target slot of the same capped server (or of two capped servers,
    /// crosswise) would wait for each other for ever; here the second slot is only tried, and when it is not free the first
    /// is given back before waiting again.
    /// </summary>
    public async Task<(IAsyncDisposable? Source, IAsyncDisposable? Target)> EnterPairAsync(EndpointDefinition source, EndpointDefinition target, CancellationToken cancellationToken)
    {
        if (source.MaxConnections is null || target.MaxConnections is null)
        {
            // One side waits on nothing: waiting for the other while holding it cannot block anyone.
            var sourceSlot = await EnterAsync(source, cancellationToken);
            try
            {
                return (sourceSlot, await EnterAsync(target, cancellationToken));
            }
            catch
            {
                await ReleaseAsync(sourceSlot);
                throw;
            }
        }

        while (true)
        {
            var first = await EnterAsync(source, cancellationToken);
            IAsyncDisposable? second;
            try
            {
                second = await TryEnterAsync(target, cancellationToken);
            }
            catch
            {
                await ReleaseAsync(first);
                throw;
            }

            if (second is not null)
            {
                return (first, second);
            }

            await ReleaseAsync(first);
            await Task.Delay(PollDelay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), cancellationToken);
        }
    }

    /// <summary>A slot of a capped endpoint if one is free now (one store round trip with a shared state), else null.</summary>
    private async Task<IAsyncDisposable?> TryEnterAsync(EndpointDefinition endpoint, CancellationToken cancellationToken)
    {
        var cap = endpoint.MaxConnections!.Value;
        var host = HostKey(endpoint);
        var local = _local.GetOrAdd(host, _ => new SemaphoreSlim(cap));
        if (!local.Wait(0, CancellationToken.None))
        {
            return null;
        }

        if (worker is null)
        {
            return new Slot(() =>
            {
                local.Release();
                return Task.CompletedTask;
            });
        }

        try
        {
            if (await worker.Store.TryAcquireHostSlotAsync(worker.PlanName, host, cap, worker.Registration.WorkerId, worker.Duration, cancellationToken) is { } slot)
            {
                return StoreSlot(host, slot, local);
            }
        }
        catch
        {
            local.Release();
            throw;
        }

        local.Release();
        return null;
    }

    private static async Task ReleaseAsync(IAsyncDisposable? slot)
    {
        if (slot is not null)
        {
            await slot.DisposeAsync();
        }
    }

    /// <summary>One server, whatever the port or the letter case it is named with.</summary>
    public static string HostKey(EndpointDefinition endpoint) => (endpoint.Host ?? endpoint.Name).Trim().ToLowerInvariant();

    /// <summary>A slot held in the shared state (and in the process's semaphore), given back to both.</summary>
    private Slot StoreSlot(string host, int slot, SemaphoreSlim local) => new(async () =>
    {
        try
        {
            await worker!.Store.ReleaseHostSlotAsync(worker.PlanName, host, slot, worker.Registration.WorkerId, CancellationToken.None);
        }
        catch (StateStoreException ex)
        {
            // The slot stays held until the worker's heartbeat lapses; the cap errs on the safe side.
            logger.Warning("A connection slot of {Host} could not be given back: {Message}", host, ex.Message);
        }
        finally
        {
            local.Release();
        }
    });

    private sealed class Slot(Func<Task> release) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await release();
            }
        }
    }
}
