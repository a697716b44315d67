using System.Net.Sockets;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// Forwards 127.0.0.1 connections to a server and counts how many are open at once, independently of the client's own
/// bookkeeping. A connection opens when it is accepted and connected on (before a byte passes) and ends when the
/// server closes it, recorded before that close is passed on to the client, or when the client closes first. So a client
/// that waits for the server's close before it opens its next connection is never counted twice, and one that opens it
/// while the server still holds the old session is. Dovecot's log cannot tell this: each of its processes logs through
/// a pipe of its own, so a session's "Login" line can even come after its own "Logged out".
/// </summary>
public sealed class ConnectionCountingProxy : LoopbackProxy
{
    private readonly Lock _gate = new();
    private int _open;
    private int _connections;
    private int _peak;

    public ConnectionCountingProxy(int targetPort)
        : base(targetPort)
    {
        Start();
    }

    /// <summary>Connections accepted so far.</summary>
    public int Connections
    {
        get
        {
            lock (_gate)
            {
                return _connections;
            }
        }
    }

    /// <summary>The most connections open at once so far.</summary>
    public int Peak
    {
        get
        {
            lock (_gate)
            {
                return _peak;
            }
        }
    }

    protected override void Relay(TcpClient client, TcpClient server)
    {
        lock (_gate)
        {
            _connections++;
            _open++;
            _peak = Math.Max(_peak, _open);
        }

        var connection = new Connection(this, client, server);
        _ = PumpAsync(server.GetStream(), client.Client, connection);
        _ = PumpAsync(client.GetStream(), server.Client, connection);
    }

    private void Ended()
    {
        lock (_gate)
        {
            _open--;
        }
    }

    /// <summary>Moves one direction; at its end the connection is counted as ended first, then the end is passed on.</summary>
    private async Task PumpAsync(NetworkStream from, Socket to, Connection connection)
    {
        var buffer = new byte[16384];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, Stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, Stop.Token);
            }

            connection.End();
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // Reset, or the proxy is stopping: the connection is over in both directions.
            connection.End();
            connection.Close();
        }
        finally
        {
            connection.DirectionDone();
        }
    }

    private sealed class Connection(ConnectionCountingProxy proxy, TcpClient client, TcpClient server)
    {
        private int _ended;
        private int _directions = 2;

        public void End()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                proxy.Ended();
            }
        }

        public void DirectionDone()
        {
            if (Interlocked.Decrement(ref _directions) == 0)
            {
                Close();
            }
        }

        public void Close()
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
