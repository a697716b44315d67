using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// First uses that cost milliseconds each whatever the command does, started on a second core while the main thread
/// parses the command line and reads the plan: the YAML parser (YamlDotNet compiles a regular expression on first
/// use), the OpenSSL hash provider, the socket layer and SQLite's native library. A command that needs none of them
/// only spends idle CPU. A no-op delta pass takes a fifth of a second, and these first uses are a sizeable part of it.
/// </summary>
internal static class StartupWarmup
{
    public static void Begin() => _ = Task.Run(Run);

    private static void Run()
    {
        try
        {
            // In the order the main thread needs them.
            SHA256.HashData(ReadOnlySpan<byte>.Empty);
            YamlTreeReader.Parse("warm: [up]\n", "warm-up", new DiagnosticBag());
            using (var sqlite = new SqliteConnection("Data Source=:memory:"))
            {
                sqlite.Open();
            }

            using (new Socket(SocketType.Stream, ProtocolType.Tcp))
            {
            }
        }
        catch (Exception ex) when (ex is SocketException or SqliteException or CryptographicException or IOException or InvalidOperationException)
        {
            // Only a head start: the command meets the same failure itself and reports it properly.
        }
    }
}
