using System.Net;
using System.Security.Cryptography.X509Certificates;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Http;

/// <summary>
/// Builds the socket handler for Graph and the token service. With a CA file (loaded by Core's TrustedCaFile), a server certificate that the system
/// store does not trust is accepted only when it chains to one of the file's certificates and names the host:
/// never accept-all.
/// </summary>
internal static class TrustedCaHandler
{
    public static SocketsHttpHandler Create(X509Certificate2Collection? extraRoots)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 64,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        if (extraRoots is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                ServerCertificates.Problem(certificate, chain, errors, extraRoots, host: "", caFile: null) is null;
        }

        return handler;
    }
}
