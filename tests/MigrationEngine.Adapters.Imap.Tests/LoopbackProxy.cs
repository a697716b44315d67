using System.Net;
using System.Net.Sockets;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// Accepts 127.0.0.1 connections on a free port and opens one to the server for each; what travels between them is
/// the subclass's business (<see cref="Relay"/>). Disposing closes every connection it opened.
/// </summary>
public abstract class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private Task _accepting = Task.CompletedTask;

    protected LoopbackProxy(int targetPort)
    {
        _targetPort = targetPort;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    protected CancellationTokenSource Stop { get; } = new();

    /// <summary>Starts accepting; called by the subclass once its own fields are set.</summary>
    protected void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Starts moving bytes between a new client and its server connection (without awaiting them).</summary>
    protected abstract void Relay(TcpClient client, TcpClient server);

    private async Task AcceptAsync()
    {
        while (!Stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(Stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _targetPort);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }

            Relay(client, server);
        }
    }

    /// <summary>Closes every connection; with <paramref name="reset"/> as a dead network would (RST, not FIN).</summary>
    protected void CloseAll(bool reset)
    {
        lock (_open)
        {
            foreach (var connection in _open)
            {
                try
                {
                    // A connection its relay closed already has no socket any more.
                    if (reset && connection.Client is { } socket)
                    {
                        socket.LingerState = new LingerOption(true, 0);
                    }
                }
                catch (ObjectDisposedException)
                {
                    // Closed by its relay meanwhile.
                }

                connection.Dispose();
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        CloseAll(reset: true);
        Stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
