using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Holds one mailbox's lease while its runner works: claims it, renews it on a heartbeat, and when it is lost (broken by
/// <c>migrate unlock --force</c>, or taken over after it expired) cancels <see cref="Lost"/> so the runner stops at once.
/// Stores without leases (a read-only view) give a keeper that holds nothing and never loses.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IMailboxLeaseStore? _store;
    private readonly string _planName;
    private readonly TimeSpan _duration;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopHeartbeat = new();
    private Task? _heartbeat;
    // Stopped by disposing it, not by cancelling its wait: a cancelled WaitForNextTickAsync throws an exception whose stack
    // trace the runtime captures with file and line (it opens the engine's PDB files), a few milliseconds of every mailbox.
    private PeriodicTimer? _timer;

    private LeaseKeeper(IMailboxLeaseStore? store, string planName, TimeSpan duration, MailboxLease? lease)
    {
        _store = store;
        _planName = planName;
        _duration = duration;
        Lease = lease;
    }

    /// <summary>The lease held; null when the store has no leases. Ledger writes carry it as their fence.</summary>
    public MailboxLease? Lease { get; }

    /// <summary>Cancelled when the lease is lost.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    public string? LostReason { get; private set; }

    /// <summary>
    /// Claims the mailbox. Returns the keeper, or the live holder's lease when another apply has it; with
    /// <paramref name="wait"/> it waits for that holder instead, until <paramref name="stop"/> is requested.
    /// </summary>
    public static async Task<(LeaseKeeper? Keeper, LeaseClaim? Claim)> ClaimAsync(RunContext run, string migration, string mailbox, bool wait, CancellationToken stop,
        CancellationToken cancellationToken)
    {
        if (run.State is not IMailboxLeaseStore store)
        {
            return (new LeaseKeeper(null, run.Plan.Name, run.Options.LeaseDuration, null), null);
        }

        var identity = LeaseIdentity.Current(run.Options.Command);
        while (true)
        {
            var claim = await store.TryAcquireMailboxLeaseAsync(run.Plan.Name, migration, mailbox, identity, run.Options.LeaseDuration, cancellationToken);
            if (claim.Acquired is { } lease)
            {
                var keeper = new LeaseKeeper(store, run.Plan.Name, run.Options.LeaseDuration, lease);
                keeper._timer = new PeriodicTimer(keeper._duration / 3);
                keeper._heartbeat = keeper.HeartbeatAsync(keeper._timer);
                return (keeper, claim);
            }

            if (!wait || stop.IsCancellationRequested)
            {
                return (null, claim);
            }

            try
            {
                await Task.Delay(run.Options.LeaseRetryDelay, stop).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return (null, claim);
            }
        }
    }

    /// <summary>Records ledger entries fenced by the lease: refused (and the lease marked lost) once another holder has it.</summary>
    public async Task RecordMessagesAsync(IStateStore state, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        if (_store is null || Lease is null)
        {
            await state.RecordMessagesAsync(_planName, entries, cancellationToken);
            return;
        }

        try
        {
            await _store.RecordMessagesAsync(_planName, entries, Lease, cancellationToken);
        }
        catch (LeaseLostException lost)
        {
            MarkLost(lost.Reason);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _timer?.Dispose();
        // A renewal under way is cut short.
        await _stopHeartbeat.CancelAsync();
        if (_heartbeat is not null)
        {
            await _heartbeat;
        }

        if (_store is not null && Lease is not null && !IsLost)
        {
            await _store.ReleaseMailboxLeaseAsync(_planName, Lease, CancellationToken.None);
        }

        _stopHeartbeat.Dispose();
        _lost.Dispose();
    }

    /// <summary>Renewed three times per lease duration: one missed beat (a slow store) does not let the lease expire.</summary>
    private async Task HeartbeatAsync(PeriodicTimer timer)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(CancellationToken.None))
            {
                if (!await _store!.RenewMailboxLeaseAsync(_planName, Lease!, _duration, _stopHeartbeat.Token))
                {
                    MarkLost("it was broken (migrate unlock --force) or taken over after it expired; nothing more was recorded");
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stopHeartbeat.IsCancellationRequested)
        {
            // The mailbox is done.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store cannot be reached: stop rather than work on a lease that will expire.
            MarkLost($"it could not be renewed ({ex.Message})");
        }
    }

    private void MarkLost(string reason)
    {
        LostReason ??= reason;
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already released.
        }
    }
}
