using System.Diagnostics;
using System.Text;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;

namespace MigrationEngine.Core.Diffing;

/// <summary>
/// Checks out one plan at two revisions into a temp folder, keeping the relative layout of the plan and the CSV files
/// it names, so that the loader resolves them exactly as in the repository. Reads with <c>git show</c>; never touches
/// the working tree or the index.
/// </summary>
public sealed partial class GitRevisionWorkspace : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "migrate-diff-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _repository;

    public GitRevisionWorkspace(string planPath)
    {
        var folder = Path.GetDirectoryName(planPath)!;
        if (!Directory.Exists(folder))
        {
            throw new PlanDiffException(Diagnose.DiffGitFailed(SourceLocation.None(planPath), "the plan's folder does not exist"));
        }

        var (exit, output, error) = Git(folder, "rev-parse", "--show-toplevel");
        if (exit != 0)
        {
            throw new PlanDiffException(Diagnose.DiffGitFailed(SourceLocation.None(planPath), FirstLine(error, "not a git repository"),
                hint: "run the diff inside a git working tree, or compare two files: migrate diff OLD NEW"));
        }

        _repository = Encoding.UTF8.GetString(output).Trim();
        RelativePlanPath = Path.GetRelativePath(_repository, planPath).Replace('\\', '/');
    }

    public string RelativePlanPath { get; }

    /// <summary>Writes the plan and its CSV files at <paramref name="revision"/>; returns the plan's temp path, or null when the plan does not exist there.</summary>
    public string? Extract(string revision, string label)
    {
        if (revision.StartsWith('-'))
        {
            throw new PlanDiffException(Diagnose.DiffGitFailed(SourceLocation.None("--git"), $"'{revision}' is not a revision"));
        }

        var (verified, _, _) = Git(_repository, "rev-parse", "--verify", "--quiet", revision + "^{commit}");
        if (verified != 0)
        {
            throw new PlanDiffException(Diagnose.DiffGitFailed(SourceLocation.None("--git"), $"revision '{revision}' does not exist in {_repository}",
                hint: "fetch the revision first (in CI: a checkout with enough history, e.g. fetch-depth: 0)"));
        }

        var plan = Blob(revision, RelativePlanPath, YamlTreeReader.MaxFileBytes, "plan", RelativePlanPath);
        if (plan is null)
        {
            return null;
        }

        var root = Path.Combine(_root, label);
        var planFile = Write(root, RelativePlanPath, plan);
        var planFolder = Path.GetDirectoryName(RelativePlanPath)?.Replace('\\', '/') ?? string.Empty;
        foreach (var csv in CsvReferences(plan, $"{revision}:{RelativePlanPath}"))
        {
            ExtractCsv(revision, root, planFolder, csv);
        }

        return planFile;
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static string Write(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// The <c>csv:</c> values of spec.mailboxSets, read with the loader's own YAML reader (the same limits and the same
    /// reading as the plan gets); a plan that does not parse has none (the loader reports why, with its line).
    /// </summary>
    private static List<string> CsvReferences(byte[] plan, string display)
    {
        var ignored = new DiagnosticBag();
        var text = YamlTreeReader.DecodeUtf8(plan, display, ignored);
        var spec = (text is null ? null : YamlTreeReader.Parse(text, display, ignored)?.Root as YamlTreeMapping)?.GetMapping("spec");
        return spec?.GetMapping("mailboxSets")?.Entries
            .Select(set => (set.Value as YamlTreeMapping)?.GetString("csv"))
            .OfType<string>().Where(path => path.Length > 0).ToList() ?? [];
    }

    private static (int Exit, byte[] Output, string Error) Git(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Never prompt (credentials, pager): the diff runs unattended in CI.
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["GIT_PAGER"] = "cat";
        // Paths are paths, never patterns (a CSV named "*.csv" is that file).
        info.Environment["GIT_LITERAL_PATHSPECS"] = "1";
        try
        {
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEndAsync();
            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            return (process.ExitCode, output.ToArray(), error.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new PlanDiffException(Diagnose.DiffGitFailed(SourceLocation.None("git"), $"git cannot be run: {ex.Message}",
                hint: "install git or compare two files: migrate diff OLD NEW"));
        }
    }

    private static string FirstLine(string text, string fallback)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(line) ? fallback : line;
    }
}
