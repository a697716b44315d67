using System.Diagnostics;
using MigrationEngine.TestSupport;

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

    private readonly ServerProcess _server;
    private readonly ServerProcess _tlsServer;
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
        Port = FreePorts.Next();
        TlsPort = FreePorts.Next();
        (CaFile, var certificate, var key) = TestCertificates.Write(Root);
        File.WriteAllText(TlsConfigFile, Config(TlsPort) + $"\nssl = True\ncertificate = {certificate}\nkey = {key}\n");
        File.WriteAllText(ConfigFile, Config(Port));
        // The plain server owns the folder (removed after both stopped); a server that fails to start is stopped with it.
        _server = Start(ConfigFile, Port, Root);
        try
        {
            _tlsServer = Start(TlsConfigFile, TlsPort, root: null);
        }
        catch
        {
            _server.Dispose();
            throw;
        }
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

    private ServerProcess Start(string configFile, int port, string? root) =>
        ServerProcess.Start("radicale", new ProcessStartInfo(RadicaleBinary, ["--config", configFile])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }, port, TimeSpan.FromSeconds(30), _ => ServerLog, root, started: process =>
        {
            process.ErrorDataReceived += (_, e) => Log(e.Data);
            process.OutputDataReceived += (_, e) => Log(e.Data);
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
        });

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

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("DAV_TEST_SERVER_LOG") is { Length: > 0 } logFile)
        {
            File.WriteAllText(logFile, ServerLog);
        }

        _tlsServer.Dispose();
        _server.Dispose();
    }
}

public sealed record DavUser(string Address, string Password, string PasswordVariable)
{
    public string SecretReference => "env:" + PasswordVariable;
}
