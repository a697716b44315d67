using System.Net;
using System.Net.Sockets;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// Forwards 127.0.0.1 connections to a server and can cut them: after <see cref="DropAfterBytes"/> bytes from the client
/// (counted over all connections) every open connection is closed once, as a network failure would.
/// </summary>
public sealed class TcpDropProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private long _clientBytes;
    private int _dropped;

    public TcpDropProxy(int targetPort, long dropAfterBytes)
    {
        _targetPort = targetPort;
        DropAfterBytes = dropAfterBytes;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public long DropAfterBytes { get; }
    public int Drops => _dropped;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
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

            _ = PumpAsync(client.GetStream(), server.GetStream(), countClientBytes: true);
            _ = PumpAsync(server.GetStream(), client.GetStream(), countClientBytes: false);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool countClientBytes)
    {
        var buffer = new byte[16384];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                if (countClientBytes && Interlocked.Add(ref _clientBytes, read) > DropAfterBytes && Interlocked.CompareExchange(ref _dropped, 1, 0) == 0)
                {
                    DropAll();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // The other side (or the drop) closed it.
        }
        finally
        {
            to.Socket.Close();
        }
    }

    private void DropAll()
    {
        lock (_open)
        {
            foreach (var connection in _open)
            {
                try
                {
                    // Reset rather than a clean close: what a dead network looks like to the client.
                    connection.Client.LingerState = new LingerOption(true, 0);
                }
                catch (ObjectDisposedException)
                {
                    // Already closed by its pump.
                }

                connection.Dispose();
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        DropAll();
        _stop.Dispose();
    }
}
