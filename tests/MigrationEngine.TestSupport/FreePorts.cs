using System.Net;
using System.Net.Sockets;

namespace MigrationEngine.TestSupport;

/// <summary>Free TCP ports on 127.0.0.1 for the servers the tests start (the port is free when asked; the server takes it next).</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
