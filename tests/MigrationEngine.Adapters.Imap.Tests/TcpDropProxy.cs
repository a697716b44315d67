using System.Net.Sockets;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// Forwards 127.0.0.1 connections to a server and can cut them: after <see cref="DropAfterBytes"/> bytes from the client
/// (counted over all connections) every open connection is closed once, as a network failure would.
/// </summary>
public sealed class TcpDropProxy : LoopbackProxy
{
    private long _clientBytes;
    private int _dropped;

    public TcpDropProxy(int targetPort, long dropAfterBytes)
        : base(targetPort)
    {
        DropAfterBytes = dropAfterBytes;
        Start();
    }

    public long DropAfterBytes { get; }
    public int Drops => _dropped;

    protected override void Relay(TcpClient client, TcpClient server)
    {
        _ = PumpAsync(client.GetStream(), server.GetStream(), countClientBytes: true);
        _ = PumpAsync(server.GetStream(), client.GetStream(), countClientBytes: false);
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool countClientBytes)
    {
        var buffer = new byte[16384];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, Stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), Stop.Token);
                if (countClientBytes && Interlocked.Add(ref _clientBytes, read) > DropAfterBytes && Interlocked.CompareExchange(ref _dropped, 1, 0) == 0)
                {
                    // Reset rather than a clean close: what a dead network looks like to the client.
                    CloseAll(reset: true);
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
}
