using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MigrationEngine.Adapters.Dav.Tests;

[CollectionDefinition(Name)]
public sealed class RadicaleCollection : ICollectionFixture<RadicaleFixture>
{
    public const string Name = "radicale";
}

/// <summary>
/// A private Radicale (Debian's radicale 3.1) on a free 127.0.0.1 port with its own config, storage folder and htpasswd
/// users in a temporary folder. Plain http (the endpoints say allowInsecure). Stopped by its own pid; the folder is removed.
/// </summary>
public sealed class RadicaleFixture : IDisposable
{
    public const string RadicaleBinary = "/usr/bin/radicale";

    // Users are written up front: each test takes fresh ones.
    private const int UserPool = 60;

    private readonly Process _process;
    private readonly Process _tlsProcess;
    private readonly object _usersGate = new();
    private readonly string _salt = Guid.NewGuid().ToString("N")[..12];
    private int _userCounter;

    public RadicaleFixture()
    {
        if (OperatingSystem.IsWindows() || !File.Exists(RadicaleBinary))
        {
            throw new InvalidOperationException($"{RadicaleBinary} is missing: install the Debian package radicale to run the DAV adapter tests");
        }

        Root = Directory.CreateTempSubdirectory("dav-radicale-").FullName;
        Directory.CreateDirectory(Storage);
        File.WriteAllText(Path.Combine(Root, "users"), string.Concat(Enumerable.Range(1, UserPool).Select(i => $"user{i}@example.test:{PasswordOf(i)}\n")));
        Port = FreePort();
        TlsPort = FreePort();
        (CaFile, var certificate, var key) = TestCertificates.Write(Root);
        File.WriteAllText(TlsConfigFile, Config(TlsPort) + $"\nssl = True\ncertificate = {certificate}\nkey = {key}\n");
        File.WriteAllText(ConfigFile, Config(Port));
        _process = Start(ConfigFile);
        _tlsProcess = Start(TlsConfigFile);
        WaitForPort(_process, Port);
        WaitForPort(_tlsProcess, TlsPort);
    }

    /// <summary>The [server] section is last, so the TLS settings can follow it.</summary>
    private string Config(int port) => $"""
            [auth]
            type = htpasswd
            htpasswd_filename = {Root}/users
            htpasswd_encryption = plain
            delay = 0
            [rights]
            type = owner_only
            [storage]
            filesystem_folder = {Storage}
            [web]
            type = none
            [logging]
            level = info
            [server]
            hosts = 127.0.0.1:{port}
            """;

    private Process Start(string configFile)
    {
        var process = Process.Start(new ProcessStartInfo(RadicaleBinary, ["--config", configFile])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    public string Root { get; }
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    /// <summary>The same storage and users over TLS, with a certificate from the private CA in <see cref="CaFile"/>.</summary>
    public int TlsPort { get; }
    public string TlsUrl => $"https://127.0.0.1:{TlsPort}/";
    public string CaFile { get; }
    private string TlsConfigFile => Path.Combine(Root, "config-tls");
    public string Storage => Path.Combine(Root, "collections");
    private string ConfigFile => Path.Combine(Root, "config");

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    /// <summary>What Radicale printed (tests look for secrets in it).</summary>
    public string ServerLog => string.Join('\n', _log);

    private void Log(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
        }
    }

    /// <summary>A fresh user for one test; its password is in an environment variable named by <c>PasswordVariable</c>.</summary>
    public DavUser NewUser()
    {
        lock (_usersGate)
        {
            var number = ++_userCounter;
            if (number > UserPool)
            {
                throw new InvalidOperationException($"the fixture has {UserPool} users; raise UserPool");
            }

            var variable = $"DAV_TEST_PW_USER{number}";
            Environment.SetEnvironmentVariable(variable, PasswordOf(number));
            return new DavUser($"user{number}@example.test", PasswordOf(number), variable);
        }
    }

    private string PasswordOf(int number) => $"pw{number}-{_salt}";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitForPort(Process process, int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"radicale exited with {process.ExitCode}: {ServerLog}");
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

        throw new TimeoutException($"radicale did not listen on 127.0.0.1:{port} within 30 s");
    }

    private static void Stop(Process process)
    {
        using (process)
        {
            if (process.HasExited)
            {
                return;
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            if (!process.WaitForExit(10_000))
            {
                process.Kill();
            }
        }
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("DAV_TEST_SERVER_LOG") is { Length: > 0 } logFile)
        {
            File.WriteAllText(logFile, ServerLog);
        }

        try
        {
            Stop(_process);
            Stop(_tlsProcess);
        }
        finally
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // Radicale still closing a file; the temporary folder is cleaned by the OS later.
            }
        }
    }
}

public sealed record DavUser(string Address, string Password, string PasswordVariable)
{
    public string SecretReference => "env:" + PasswordVariable;
}
