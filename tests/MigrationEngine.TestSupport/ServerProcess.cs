using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MigrationEngine.TestSupport;

/// <summary>
/// A server the tests start as a child process on 127.0.0.1 (Dovecot, Radicale, ...): ready once it accepts connections on
/// its port; stopped by its own pid (SIGTERM, a kill after 10 s), never by name, so servers of other runs on the machine
/// are never touched; its temporary folder is removed with it.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly string _name;
    private readonly Func<Process, string> _describeExit;
    private readonly string? _root;

    private ServerProcess(string name, Process process, Func<Process, string> describeExit, string? root)
    {
        _name = name;
        Process = process;
        _describeExit = describeExit;
        _root = root;
    }

    public Process Process { get; }

    /// <summary>
    /// Starts the server and waits until 127.0.0.1:<paramref name="port"/> accepts a connection. A server that exits first, or
    /// does not listen in time, is stopped and an exception says why, with what <paramref name="describeExit"/> tells of it.
    /// <paramref name="started"/> runs before the wait (to start reading the server's output, for example).
    /// </summary>
    public static ServerProcess Start(string name, ProcessStartInfo start, int port, TimeSpan within, Func<Process, string> describeExit, string? root = null,
        Action<Process>? started = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(describeExit);
        var server = new ServerProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"{name} could not be started"), describeExit, root);
        try
        {
            started?.Invoke(server.Process);
            server.AwaitPort(port, within);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Waits until 127.0.0.1:<paramref name="port"/> accepts a connection (a server that listens on several ports).</summary>
    public void AwaitPort(int port, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"{_name} exited with {Process.ExitCode}: {_describeExit(Process)}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException($"{_name} did not listen on 127.0.0.1:{port} within {within.TotalSeconds:0} s");
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                // SIGTERM to the pid we started: a master process stops its own children.
                using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    kill.WaitForExit();
                }

                if (!Process.WaitForExit(10_000))
                {
                    Process.Kill();
                }
            }
        }
        finally
        {
            Process.Dispose();
            if (_root is not null)
            {
                TempDirectory.Delete(_root);
            }
        }
    }
}
