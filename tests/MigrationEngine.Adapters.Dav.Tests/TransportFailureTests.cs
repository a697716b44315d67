using System.Net;
using System.Net.Sockets;
using System.Text;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>
/// The adapter classifies its own transport failures: no server on the port, or a connection that ends while the answer's
/// body is read, leave it as a transient <see cref="MigrationException"/> (MIG1671, the server unreachable), never as a socket
/// or I/O exception for Core to recognise.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TransportFailureTests
{
    [Fact]
    public async Task No_server_on_the_port_is_a_transient_unreachable()
    {
        var failure = await Assert.ThrowsAsync<MigrationException>(() =>
            new DavSourceFactory().OpenAsync(Context($"http://127.0.0.1:{FreePorts.Next()}/"), CancellationToken.None));

        Assert.True(failure.Transient);
        Assert.Equal(DiagnosticCatalog.DavUnreachable.Code, failure.Diagnostic.Code);
        Assert.IsType<HttpRequestException>(failure.InnerException);
    }

    [Fact]
    public async Task A_connection_that_ends_inside_the_body_is_a_transient_unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            // Every connection: the headers of a 207 announcing 1,000 bytes, 20 of them, then the connection is closed.
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var buffer = new byte[8192];
                _ = await stream.ReadAsync(buffer);
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    "HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\nContent-Length: 1000\r\n\r\n<?xml version=\"1.0\"?>"));
                await stream.FlushAsync();
            }
        });

        var failure = await Assert.ThrowsAsync<MigrationException>(() =>
            new DavSourceFactory().OpenAsync(Context($"http://127.0.0.1:{port}/"), CancellationToken.None));

        Assert.True(failure.Transient);
        Assert.Equal(DiagnosticCatalog.DavUnreachable.Code, failure.Diagnostic.Code);
        Assert.IsAssignableFrom<IOException>(failure.InnerException);
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => server);
    }

    private static MailboxContext Context(string url)
    {
        Environment.SetEnvironmentVariable("DAV_TRANSPORT_PW", "pw");
        return DavTestPlans.Context(DavTestPlans.Endpoint(EndpointRole.Source, url, "alice", "env:DAV_TRANSPORT_PW"), "alice@example.test");
    }
}
