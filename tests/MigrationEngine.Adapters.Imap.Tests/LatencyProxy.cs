using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// Forwards 127.0.0.1 connections to a server and holds every chunk for <see cref="OneWay"/> before passing it on, in
/// order, in both directions: a link with a round trip of twice that. On loopback a round trip costs microseconds, so
/// whether two commands were in flight at once depends on the scheduler of a loaded machine; behind this proxy each one
/// is in flight for at least a round trip, and overlap (or its absence) shows whatever the load.
/// </summary>
public sealed class LatencyProxy : LoopbackProxy
{
    public LatencyProxy(int targetPort, TimeSpan oneWay)
        : base(targetPort)
    {
        OneWay = oneWay;
        Start();
    }

    public TimeSpan OneWay { get; }

    protected override void Relay(TcpClient client, TcpClient server)
    {
        _ = DelayAsync(client.GetStream(), server.GetStream());
        _ = DelayAsync(server.GetStream(), client.GetStream());
    }

    private async Task DelayAsync(NetworkStream from, NetworkStream to)
    {
        var held = Channel.CreateUnbounded<(byte[] Bytes, long Due)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var sending = SendAsync(held.Reader, to);
        var buffer = new byte[65536];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, Stop.Token)) > 0)
            {
                held.Writer.TryWrite((buffer.AsSpan(0, read).ToArray(), Stopwatch.GetTimestamp() + (long)(OneWay.TotalSeconds * Stopwatch.Frequency)));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // The other side closed it.
        }
        finally
        {
            held.Writer.TryComplete();
        }

        await sending;
    }

    private async Task SendAsync(ChannelReader<(byte[] Bytes, long Due)> held, NetworkStream to)
    {
        try
        {
            await foreach (var (bytes, due) in held.ReadAllAsync(Stop.Token))
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, Stop.Token);
                }

                await to.WriteAsync(bytes, Stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // The other side closed it.
        }
        finally
        {
            to.Socket.Close();
        }
    }
}
