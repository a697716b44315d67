namespace MigrationEngine.Core.Execution;

/// <summary>
/// One connection pair (source and target) of a mailbox; folders of a mailbox copy in parallel on several. Each side opens
/// through the run's <see cref="HostSlotGate"/> and gives its slot back when it is closed.
/// </summary>
internal sealed class ConnectionPair(MailboxRun mailboxRun, AdapterRegistry adapters) : IAsyncDisposable
{
    private IAsyncDisposable? _sourceSlot;
    private IAsyncDisposable? _targetSlot;

    public IMailSource? Source { get; private set; }
    public IMailTarget? Target { get; private set; }

    public Task OpenSourceAsync(CancellationToken cancellationToken) =>
        OpenSourceAsync(() => mailboxRun.Run.HostSlots.EnterAsync(mailboxRun.SourceContext.Endpoint, cancellationToken), cancellationToken);

    public Task OpenTargetAsync(CancellationToken cancellationToken) =>
        OpenTargetAsync(() => mailboxRun.Run.HostSlots.EnterAsync(mailboxRun.TargetContext.Endpoint, cancellationToken), cancellationToken);

    private async Task OpenSourceAsync(Func<Task<IAsyncDisposable?>> enter, CancellationToken cancellationToken)
    {
        if (Source is null)
        {
            var endpoint = mailboxRun.SourceContext.Endpoint;
            var slot = await enter();
            try
            {
                Source = await adapters.Source(endpoint.Type, endpoint.Location).OpenAsync(mailboxRun.SourceContext, cancellationToken);
                _sourceSlot = slot;
            }
            catch
            {
                await LeaveAsync(slot);
                throw;
            }
        }
    }

    private async Task OpenTargetAsync(Func<Task<IAsyncDisposable?>> enter, CancellationToken cancellationToken)
    {
        if (Target is null)
        {
            var endpoint = mailboxRun.TargetContext.Endpoint;
            var slot = await enter();
            try
            {
                Target = await adapters.Target(endpoint.Type, endpoint.Location).OpenAsync(mailboxRun.TargetContext, cancellationToken);
                _targetSlot = slot;
            }
            catch
            {
                await LeaveAsync(slot);
                throw;
            }
        }
    }

    /// <summary>Opens what is not open; both sides at once when neither is (over a link with latency, each login is several round trips).</summary>
    public async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (Source is null && Target is null)
        {
            // Both slots or none (HostSlotGate.EnterPairAsync), then both logins at once.
            var (sourceSlot, targetSlot) = await mailboxRun.Run.HostSlots.EnterPairAsync(mailboxRun.SourceContext.Endpoint, mailboxRun.TargetContext.Endpoint, cancellationToken);
            await Task.WhenAll(OpenSourceAsync(() => Task.FromResult(sourceSlot), cancellationToken), OpenTargetAsync(() => Task.FromResult(targetSlot), cancellationToken));
            return;
        }

        await OpenSourceAsync(cancellationToken);
        await OpenTargetAsync(cancellationToken);
    }

    /// <summary>Drops both connections after a transient failure; the next attempt opens new ones.</summary>
    public async Task ReopenAsync(CancellationToken cancellationToken)
    {
        await DisposeAsync();
        _ = cancellationToken;
    }

    public async ValueTask DisposeAsync()
    {
        var source = Source;
        var target = Target;
        var sourceSlot = _sourceSlot;
        var targetSlot = _targetSlot;
        Source = null;
        Target = null;
        _sourceSlot = null;
        _targetSlot = null;
        // Both sides close at once (a polite close waits a round trip for the server's goodbye). A slot is given back only
        // once its connection is closed: the server never sees more than the cap.
        await Task.WhenAll(CloseAsync(source, sourceSlot), CloseAsync(target, targetSlot));
    }

    private async Task CloseAsync(IAsyncDisposable? connection, IAsyncDisposable? slot)
    {
        await DisposeQuietlyAsync(connection);
        await LeaveAsync(slot);
    }

    private static async Task LeaveAsync(IAsyncDisposable? slot)
    {
        if (slot is not null)
        {
            await slot.DisposeAsync();
        }
    }

    private async Task DisposeQuietlyAsync(IAsyncDisposable? disposable)
    {
        if (disposable is null)
        {
            return;
        }

        try
        {
            await disposable.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or MigrationException or ObjectDisposedException or InvalidOperationException)
        {
            // A connection that already broke cannot be closed politely; the copy is unaffected.
            mailboxRun.Log.Debug("Closing a connection failed: {Message}", ex.Message);
        }
    }
}
