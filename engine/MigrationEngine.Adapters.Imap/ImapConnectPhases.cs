using System.Net.Sockets;
using MailKit.Security;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// Names the phase a connection attempt stalled or failed in (connect, greeting, TLS handshake), so that a server
/// that never greets, or goes silent after STARTTLS, is reported as such and not as a certificate problem; and tells
/// permanent failures (a host name that does not resolve) from transient ones, which are retried.
/// </summary>
internal static class ImapConnectPhases
{
    public const string Connect = "connect";
    public const string Greeting = "greeting";
    public const string Tls = "TLS handshake";

    /// <summary>Where an attempt that failed had got to.</summary>
    public static string Of(Stream? stream, SecureSocketOptions security, bool certificateSeen) => stream switch
    {
        null => Connect,
        _ when security == SecureSocketOptions.SslOnConnect => certificateSeen ? Greeting : Tls,
        BufferedSocketStream { HasReceived: true } when security == SecureSocketOptions.StartTls => Tls,
        _ => Greeting,
    };

    /// <summary>A diagnostic for a stall or a name that does not resolve; null for other failures (TLS, refused connections).</summary>
    public static MigrationException? Classify(Exception ex, ImapSettings settings, string phase)
    {
        var timeouts = settings.Context.Endpoint.Timeouts;
        if (Find<SocketException>(ex) is { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
        {
            // Permanent: retrying a name the resolver says does not exist only delays the error.
            return new MigrationException(Diagnose.ImapHostNotFound(settings.EndpointLocation, settings.Host, settings.EndpointName,
                hint: "check the endpoint's host name"));
        }

        if (!IsStall(ex))
        {
            return null;
        }

        var seconds = phase switch
        {
            Connect => timeouts.ConnectSeconds,
            Tls => timeouts.TlsSeconds,
            _ => timeouts.GreetingSeconds,
        };
        return new MigrationException(Diagnose.ImapPhaseTimeout(settings.EndpointLocation,
            settings.Host, settings.Port, settings.EndpointName, seconds, phase,
                hint: $"check that {settings.Host}:{settings.Port} is an IMAP server and that tls matches the port; raise timeouts.{TimeoutKey(phase)} for a slow server"), ex)
        {
            Transient = true,
        };
    }

    private static string TimeoutKey(string phase) => phase switch
    {
        Connect => "connect",
        Tls => "tls",
        _ => "greeting",
    };

    private static bool IsStall(Exception ex) =>
        Find<TimeoutException>(ex) is not null
        || Find<SocketException>(ex) is { SocketErrorCode: SocketError.TimedOut }
        || (Find<IOException>(ex) is { } io && (io.Message.StartsWith("no connection within", StringComparison.Ordinal) || io.Message.StartsWith("the server did not answer", StringComparison.Ordinal)));

    private static T? Find<T>(Exception ex)
        where T : Exception
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
