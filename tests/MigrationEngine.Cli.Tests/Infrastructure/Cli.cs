using System.Diagnostics;

namespace MigrationEngine.Cli.Tests.Infrastructure;

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;
}

internal static class MigrateCli
{
    /// <summary>Runs the CLI in this process (fast; for output and exit-code tests).</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        await Gate.WaitAsync();
        try
        {
            Environment.CurrentDirectory = workingDirectory;
            var exit = await CliApp.RunAsync(args, stdout, stderr);
            return new CliResult(exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            // Back to a folder no test deletes (a test's temp folder is gone once it ends).
            Environment.CurrentDirectory = AppContext.BaseDirectory;
            Gate.Release();
        }
    }

    /// <summary>The current directory is process-wide: in-process runs take turns.</summary>
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static ProcessStartInfo StartInfo(string workingDirectory, IDictionary<string, string>? environment, params string[] args)
    {
        // Started through coreutils' `env --default-signal=INT` (it execs, so the pid is the CLI's): a test run
        // launched as a background job of a non-interactive shell inherits SIGINT as ignored, .NET keeps an
        // inherited SIG_IGN, and the Ctrl+C test would then measure the shell instead of the CLI.
        var info = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(TestPaths.MigrateDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CI"] = "true";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        return info;
    }

    /// <summary>Runs the CLI as its own process (for kill and lock tests).</summary>
    public static async Task<CliResult> RunProcessAsync(string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
