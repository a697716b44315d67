using System.Net.Sockets;

namespace MigrationEngine.Core.Execution;

/// <summary>One connection pair (source and target) of a mailbox; folders of a mailbox copy in parallel on several.</summary>
internal sealed class ConnectionPair(MailboxRun mailboxRun, AdapterRegistry adapters) : IAsyncDisposable
{
    public IMailSource? Source { get; private set; }
    public IMailTarget? Target { get; private set; }

    public async Task OpenSourceAsync(CancellationToken cancellationToken)
    {
        if (Source is null)
        {
            var endpoint = mailboxRun.SourceContext.Endpoint;
            Source = await adapters.Source(endpoint.Type, endpoint.Location).OpenAsync(mailboxRun.SourceContext, cancellationToken);
        }
    }

    public async Task OpenTargetAsync(CancellationToken cancellationToken)
    {
        if (Target is null)
        {
            var endpoint = mailboxRun.TargetContext.Endpoint;
            Target = await adapters.Target(endpoint.Type, endpoint.Location).OpenAsync(mailboxRun.TargetContext, cancellationToken);
        }
    }

    public async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
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
        Source = null;
        Target = null;
        await DisposeQuietlyAsync(source);
        await DisposeQuietlyAsync(target);
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
        catch (Exception ex) when (ex is IOException or SocketException or MigrationException or ObjectDisposedException or InvalidOperationException)
        {
            // A connection that already broke cannot be closed politely; the copy is unaffected.
            mailboxRun.Log.Debug("Closing a connection failed: {Message}", ex.Message);
        }
    }
}
