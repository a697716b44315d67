using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>Hostile or broken servers on 127.0.0.1: each stall names its phase within its own limit; PREAUTH is refused.</summary>
[Trait("Category", "Unit")]
public sealed class ConnectPhaseTests
{
    private static readonly ImapSourceFactory Sources = new();

    /// <summary>A one-connection server that runs <paramref name="script"/> on the accepted socket.</summary>
    private static (int Port, Task Server) Serve(Func<NetworkStream, Task> script)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync();
                await script(client.GetStream());
            }
            catch (IOException)
            {
                // The engine hung up: what these servers are for.
            }
            finally
            {
                listener.Stop();
            }
        });
        return (port, server);
    }

    private static MailboxContext Context(int port, string tls)
    {
        Environment.SetEnvironmentVariable("IMAP_PHASE_TEST_PW", "not-used");
        return TestPlans.Context(TestPlans.Endpoint(EndpointRole.Source, port, tls, authUser: "u", authPassword: "env:IMAP_PHASE_TEST_PW") with
        {
            Timeouts = new ConnectionTimeouts { ConnectSeconds = 2, GreetingSeconds = 2, TlsSeconds = 2, CommandSeconds = 5 },
        }, "u@example.com", "u@example.com");
    }

    [Fact]
    public async Task A_server_that_never_greets_is_a_greeting_stall_within_its_limit()
    {
        using var done = new CancellationTokenSource();
        var (port, server) = Serve(async _ => await Task.Delay(Timeout.Infinite, done.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<MigrationException>(() => Sources.OpenAsync(Context(port, "none"), CancellationToken.None));

        Assert.Equal("MIG0621", error.Diagnostic.Code);
        Assert.Contains("during the greeting", error.Message, StringComparison.Ordinal);
        Assert.True(error.Transient);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        await done.CancelAsync();
        await server;
    }

    [Fact]
    public async Task A_server_silent_after_starttls_is_a_tls_stall_not_a_certificate_problem()
    {
        using var done = new CancellationTokenSource();
        var (port, server) = Serve(async stream =>
        {
            var reader = new StreamReader(stream, Encoding.ASCII);
            await Write(stream, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n");
            while (await reader.ReadLineAsync() is { } line)
            {
                var tag = line.Split(' ')[0];
                if (line.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase))
                {
                    await Write(stream, $"{tag} OK begin TLS now\r\n");
                    await Task.Delay(Timeout.Infinite, done.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    return;
                }

                await Write(stream, $"* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n{tag} OK done\r\n");
            }
        });

        var error = await Assert.ThrowsAsync<MigrationException>(() => Sources.OpenAsync(Context(port, "starttls"), CancellationToken.None));

        Assert.Equal("MIG0621", error.Diagnostic.Code);
        Assert.Contains("during the TLS handshake", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate", error.Message, StringComparison.OrdinalIgnoreCase);
        await done.CancelAsync();
        await server;
    }

    [Fact]
    public async Task A_preauth_greeting_is_refused_with_a_diagnostic()
    {
        var (port, server) = Serve(async stream =>
        {
            var reader = new StreamReader(stream, Encoding.ASCII);
            await Write(stream, "* PREAUTH [CAPABILITY IMAP4rev1] logged in as someone\r\n");
            while (await reader.ReadLineAsync() is { } line)
            {
                var tag = line.Split(' ')[0];
                await Write(stream, line.Contains("LOGOUT", StringComparison.OrdinalIgnoreCase)
                    ? $"* BYE\r\n{tag} OK bye\r\n"
                    : $"* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n");
            }
        });

        var error = await Assert.ThrowsAsync<MigrationException>(() => Sources.OpenAsync(Context(port, "none"), CancellationToken.None));

        Assert.Equal("MIG0620", error.Diagnostic.Code);
        Assert.False(error.Transient);
        await server.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static async Task Write(NetworkStream stream, string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
}
