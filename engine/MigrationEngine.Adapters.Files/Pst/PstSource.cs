using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MigrationEngine.Adapters.Files.Eml;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Pst;

/// <summary>
/// A PST read through readpst (Debian package pst-utils): converted once into a temporary tree of .eml files
/// (<c>readpst -e -D -b</c>: one .eml file per message in a directory per folder, deleted items included, no RTF copies;
/// -r must not be added: it overrides -e and writes mbox files),
/// then served as an EML source. The temporary tree is deleted at dispose.
/// </summary>
internal sealed partial class PstSource : EmlSource
{
    // The executor opens a source per worker; they share one conversion of a PST, removed with the last of them.
    private static readonly object SharedGate = new();
    private static readonly Dictionary<string, SharedConversion> Shared = new(StringComparer.Ordinal);

    private readonly string _key;
    private int _disposed;

    private PstSource(string root, string key)
        : base(root)
    {
        _key = key;
    }

    public static async Task<PstSource> OpenAsync(string pstFile, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var readpst = FindOnPath("readpst")
            ?? throw new MigrationException(Diagnose.ReadpstMissing(SourceLocation.None(pstFile), pstFile,
                hint: "install it: apt-get install pst-utils"));

        var info = new FileInfo(pstFile);
        var key = string.Create(CultureInfo.InvariantCulture, $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}");
        SharedConversion shared;
        lock (SharedGate)
        {
            if (!Shared.TryGetValue(key, out shared!))
            {
                // Not cancelled with the first caller: other workers may be waiting on the same conversion.
                shared = new SharedConversion(ConvertAsync(readpst, pstFile, logger, CancellationToken.None));
                Shared[key] = shared;
            }

            shared.References++;
        }

        try
        {
            var conversion = await shared.Conversion.WaitAsync(cancellationToken);
            return new PstSource(conversion.Root, key);
        }
        catch
        {
            Release(key);
            throw;
        }
    }

    public override ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Release(_key);
        }

        return ValueTask.CompletedTask;
    }

    private static void Release(string key)
    {
        SharedConversion shared;
        lock (SharedGate)
        {
            shared = Shared[key];
            if (--shared.References > 0)
            {
                return;
            }

            Shared.Remove(key);
        }

        // A failed conversion removed its own folder; one still running is removed when it ends.
        shared.Conversion.ContinueWith(
            task => TryDelete(task.Result.Temporary),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static async Task<Conversion> ConvertAsync(string readpst, string pstFile, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var temporary = Directory.CreateTempSubdirectory("migration-engine-pst-").FullName;
        try
        {
            var output = Path.Combine(temporary, "out");
            Directory.CreateDirectory(output);
            if (await HasPasswordAsync(readpst, pstFile, temporary, cancellationToken))
            {
                var probe = await RunAsync(readpst, ["-o", output, "-e", "-D", "-b", pstFile], cancellationToken);
                throw new MigrationException(Diagnose.PstPasswordProtected(SourceLocation.None(pstFile), pstFile, SkippedItems(probe.Output),
                    hint: "remove the password in Outlook and export the PST again"));
            }

            var result = await RunAsync(readpst, ["-o", output, "-e", "-D", "-b", pstFile], cancellationToken);
            if (result.ExitCode != 0)
            {
                var reason = (result.Error + " " + result.Output).Trim();
                throw new MigrationException(Diagnose.PstUnreadable(SourceLocation.None(pstFile), pstFile, result.ExitCode, reason.Length == 0 ? "no message" : Shorten(reason),
                    hint: "check that the file is a complete Outlook .pst"));
            }

            var notMail = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
                .Count(file => !file.EndsWith(".eml", StringComparison.OrdinalIgnoreCase));
            var skipped = SkippedItems(result.Output);
            if (notMail > 0 || skipped > 0)
            {
                var warning = Diagnose.PstItemsNotMigrated(SourceLocation.None(pstFile), pstFile, notMail, skipped);
                logger.Warning("{Code}: {Message}", warning.Code, warning.Message);
            }

            // readpst writes the PST's root folder ("Personal Folders") as the one top directory.
            var tops = Directory.GetDirectories(output);
            var root = tops.Length == 1 && Directory.GetFiles(output).Length == 0 ? tops[0] : output;
            return new Conversion(root, temporary);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private sealed record Conversion(string Root, string Temporary);

    private sealed class SharedConversion(Task<Conversion> conversion)
    {
        public Task<Conversion> Conversion { get; } = conversion;
        public int References { get; set; }
    }

    /// <summary>
    /// readpst ignores PST passwords, but its debug output shows the store's password checksum early;
    /// the probe stops reading (and ends its own readpst) as soon as that line is seen.
    /// </summary>
    private static async Task<bool> HasPasswordAsync(string readpst, string pstFile, string temporary, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(temporary, "probe");
        Directory.CreateDirectory(scratch);
        var start = new ProcessStartInfo(readpst)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-q", "-o", scratch, "-d", "/dev/stdout", "-t", "e", pstFile })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("readpst did not start");
        _ = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                var match = PasswordLine().Match(line);
                if (match.Success)
                {
                    return match.Groups[1].Value != "0";
                }
            }

            return false;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
            TryDelete(scratch);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    private static int SkippedItems(string output) =>
        SkippedLine().Matches(output).Sum(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
    }

    [GeneratedRegex(@"Password checksum - (-?\d+)")]
    private static partial Regex PasswordLine();

    [GeneratedRegex(@"(\d+) items skipped")]
    private static partial Regex SkippedLine();
}
