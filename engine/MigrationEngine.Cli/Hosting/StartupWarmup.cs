using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using MigrationEngine.Adapters.Imap;
using MigrationEngine.Core;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// First uses that cost milliseconds each whatever the command does, started on a second core while the main thread
/// parses the command line and reads the plan: the YAML parser (YamlDotNet compiles a regular expression on first
/// use), the OpenSSL hash provider, the socket layer and SQLite's native library. A command that needs none of them
/// only spends idle CPU. A no-op delta pass takes a fifth of a second, and these first uses are a sizeable part of it.
/// YamlDotNet is left cold when the plan named on the command line has its parsed tree kept (PlanTreeCache): the command
/// then never parses YAML, and warming it would only spend CPU. For <c>apply</c>, Serilog's first uses follow
/// (<see cref="RunLogging.Warm"/>), this process's start time (which the run's target owner names) and, when the plan
/// names IMAP, a MailKit session with a scripted server in memory (<see cref="ImapWarmup"/>), then the metadata of the
/// step records (<see cref="ExecutionJson.WarmUp"/>).
/// </summary>
internal static class StartupWarmup
{
    public static void Begin(string[] args) => _ = Task.Run(() => Run(args));

    private static void Run(string[] args)
    {
        try
        {
            // In the order the main thread needs them.
            SHA256.HashData(ReadOnlySpan<byte>.Empty);
            var plan = PlanArgument(args);
            if (plan is null || !PlanPipeline.HasKeptTree(plan))
            {
                YamlTreeReader.Parse("warm: [up]\n", "warm-up", new DiagnosticBag());
            }

            using (var sqlite = new SqliteConnection("Data Source=:memory:"))
            {
                sqlite.Open();
            }

            using (new Socket(SocketType.Stream, ProtocolType.Tcp))
            {
            }

            if (args.Length > 0 && args[0] == "apply")
            {
                RunLogging.Warm();
                _ = TargetOwner.ThisProcessStartSeconds;
                if (plan is not null && MentionsImap(plan))
                {
                    ImapWarmup.Run();
                }

                ExecutionJson.WarmUp();
            }
        }
        catch (Exception ex) when (ex is SocketException or SqliteException or CryptographicException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Only a head start: the command meets the same failure itself and reports it properly.
        }
    }

    /// <summary>
    /// Whether the plan's text names IMAP anywhere (an endpoint's <c>type: imap</c>): only a guess, so that a plan of files
    /// or Exchange does not warm MailKit for nothing. A plan too large to glance at is taken to name it; a missing one is not
    /// (the command stops at once).
    /// </summary>
    internal static bool MentionsImap(string plan)
    {
        var file = new FileInfo(plan);
        return file.Exists && (file.Length > 1 << 20 || File.ReadAllText(plan).Contains("imap", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The plan file most commands name first (<c>migrate apply plan.yaml ...</c>): the first argument after the verb that
    /// is not an option. Only a guess for the warm-up; the command line parser decides what the arguments mean.
    /// </summary>
    internal static string? PlanArgument(string[] args) =>
        args.Length >= 2 && !args[0].StartsWith('-') && !args[1].StartsWith('-') ? args[1] : null;
}
