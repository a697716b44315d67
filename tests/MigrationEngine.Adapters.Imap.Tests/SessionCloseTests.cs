using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// Closing a session waits for the server to end it: after LOGOUT's answer a server still holds the session until it
/// closes the connection, and the host slot is given back when the close returns, so the next connection must not
/// overlap it. The wait is bounded and never fails a close.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SessionCloseTests
{
    private static readonly ImapSourceFactory Sources = new();

    /// <summary>
    /// A one-connection server that answers every command OK and LOGOUT with BYE, then closes after <paramref name="linger"/>;
    /// its task gives the time taken just before it closed the connection.
    /// </summary>
    private static (int Port, Task<DateTime> ClosedAt) Serve(TimeSpan linger, CancellationToken stop = default)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII);
                await Write(stream, "* OK [CAPABILITY IMAP4rev1] ready\r\n");
                while (await reader.ReadLineAsync() is { } line)
                {
                    var tag = line.Split(' ')[0];
                    if (line.Contains(" LOGOUT", StringComparison.OrdinalIgnoreCase))
                    {
                        await Write(stream, $"* BYE logging out\r\n{tag} OK bye\r\n");
                        await Task.Delay(linger, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                        break;
                    }

                    await Write(stream, $"* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n");
                }

                // Taken before the close, not after: the client may see the close and return before this thread runs again.
                var closing = DateTime.UtcNow;
                client.Dispose();
                return closing;
            }
            finally
            {
                listener.Stop();
            }
        });
        return (port, server);
    }

    private static MailboxContext Context(int port)
    {
        Environment.SetEnvironmentVariable("IMAP_CLOSE_TEST_PW", "not-used");
        return TestPlans.Context(TestPlans.Endpoint(EndpointRole.Source, port, "none", authUser: "u", authPassword: "env:IMAP_CLOSE_TEST_PW"), "u@example.com", "u@example.com");
    }

    [Fact]
    public async Task Closing_a_session_returns_only_once_the_server_has_closed_the_connection()
    {
        var (port, closedAt) = Serve(TimeSpan.FromMilliseconds(400));
        var source = await Sources.OpenAsync(Context(port), CancellationToken.None);

        await source.DisposeAsync();
        var returnedAt = DateTime.UtcNow;

        // The server's task may end a little after the close it made (its thread runs again later under load): awaited.
        Assert.True(await closedAt.WaitAsync(TimeSpan.FromSeconds(30)) <= returnedAt, "the close returned while the server still held the session");
    }

    [Fact]
    public async Task A_server_that_keeps_the_connection_open_after_LOGOUT_delays_the_close_by_at_most_the_bound()
    {
        using var stop = new CancellationTokenSource();
        var (port, closedAt) = Serve(TimeSpan.FromSeconds(30), stop.Token);
        var source = await Sources.OpenAsync(Context(port), CancellationToken.None);
        var watch = Stopwatch.StartNew();

        await source.DisposeAsync();

        Assert.InRange(watch.Elapsed, ImapSession.ServerCloseWait - TimeSpan.FromMilliseconds(100), ImapSession.ServerCloseWait + TimeSpan.FromSeconds(5));
        Assert.False(closedAt.IsCompleted);
        await stop.CancelAsync();
        await closedAt;
    }

    private static async Task Write(NetworkStream stream, string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
}
