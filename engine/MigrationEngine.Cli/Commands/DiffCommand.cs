using System.CommandLine;
using System.Diagnostics;
using System.Text;
using MigrationEngine.Cli.Hosting;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Diffing;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using YamlDotNet.RepresentationModel;

namespace MigrationEngine.Cli.Commands;

/// <summary>
/// <c>migrate diff OLD NEW</c> and <c>migrate diff --git REV1..REV2 PLAN</c>: what changes between two versions of a plan,
/// by meaning, with the risk of each change given the work recorded in state. Exit codes like <c>kubectl diff</c>:
/// 0 no differences, 1 differences, 2 an error.
/// </summary>
internal static partial class DiffCommand
{
    public const int NoDifferences = 0;
    public const int Differences = 1;
    public const int Failed = 2;

    public static Command Create(CliConsole console)
    {
        var plans = new Argument<string[]>("plans")
        {
            Description = "OLD and NEW plan files, or with --git the one plan file",
            Arity = new ArgumentArity(1, 2),
        };
        var git = new Option<string?>("--git") { Description = "Compare the plan (and its CSV files) between two git revisions: REV1..REV2 (an empty side means HEAD)" };
        var state = new Option<string?>("--state") { Description = "State to assess risks against (default: .migrate/state.db beside the new plan when it exists; a postgres:// URL works too)" };
        var output = Options.Output("text", "json", "markdown");
        var command = new Command("diff", "Show what changes between two versions of a plan, and which changes touch work already done") { plans, git, state, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await RunAsync(console, parse.GetValue(plans)!, parse.GetValue(git), parse.GetValue(state), parse.GetValue(output)!, cancellationToken);
            }
            catch (DiffFailedException failed)
            {
                console.Error.WriteLine(failed.Diagnostic.ToMsBuildString());
                return Failed;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string[] paths, string? gitRange, string? stateOption, string format, CancellationToken cancellationToken)
    {
        PlanModel? before;
        PlanModel? after;
        string oldDisplay;
        string newDisplay;
        string stateAnchor;
        if (gitRange is not null)
        {
            if (paths.Length != 1)
            {
                throw Fail(DiagnosticCatalog.DiffUsage, SourceLocation.None("migrate diff"), "with --git, name exactly one plan file: migrate diff --git main..HEAD plans/wave1.yaml");
            }

            var (rev1, rev2) = ParseRange(gitRange);
            var planPath = Path.GetFullPath(paths[0]);
            using var workspace = new GitWorkspace(planPath);
            var oldFile = workspace.Extract(rev1, "old");
            var newFile = workspace.Extract(rev2, "new");
            oldDisplay = $"{rev1}:{workspace.RelativePlanPath}";
            newDisplay = $"{rev2}:{workspace.RelativePlanPath}";
            after = newFile is null ? null : Load(console, newFile, newDisplay, format);
            if (newFile is null)
            {
                throw Fail(DiagnosticCatalog.DiffPlanMissingAtRevision, SourceLocation.None(paths[0]), null, workspace.RelativePlanPath, rev2);
            }

            if (after is null)
            {
                return Failed;
            }

            // A plan added by the change is all additions, not an error: that is what a pull request adding a wave looks like.
            before = oldFile is null ? PlanDiffer.Empty(after.Name, Path.Combine(Path.GetDirectoryName(oldDisplay) ?? ".", "plan.yaml")) : Load(console, oldFile, oldDisplay, format);
            if (before is null)
            {
                return Failed;
            }

            stateAnchor = Path.GetDirectoryName(planPath)!;
            return await DiffAsync(console, before, after, oldDisplay, newDisplay, stateAnchor, stateOption, format, cancellationToken);
        }

        if (paths.Length != 2)
        {
            throw Fail(DiagnosticCatalog.DiffUsage, SourceLocation.None("migrate diff"), "name the OLD and the NEW plan file, or use --git REV1..REV2 PLAN");
        }

        oldDisplay = paths[0];
        newDisplay = paths[1];
        before = Load(console, paths[0], oldDisplay, format);
        after = Load(console, paths[1], newDisplay, format);
        if (before is null || after is null)
        {
            return Failed;
        }

        stateAnchor = after.PlanDirectory;
        return await DiffAsync(console, before, after, oldDisplay, newDisplay, stateAnchor, stateOption, format, cancellationToken);
    }

    private static async Task<int> DiffAsync(CliConsole console, PlanModel before, PlanModel after, string oldDisplay, string newDisplay,
        string planDirectory, string? stateOption, string format, CancellationToken cancellationToken)
    {
        var diff = PlanDiffer.Compare(before, after, oldDisplay, newDisplay);
        var location = stateOption
            ?? (Environment.GetEnvironmentVariable("MIGRATE_STATE") is { Length: > 0 } fromEnvironment ? fromEnvironment : Path.Combine(planDirectory, ".migrate", "state.db"));
        var useState = StateStoreFactory.IsPostgres(location) || File.Exists(location);
        if (stateOption is not null && !useState)
        {
            throw Fail(DiagnosticCatalog.DiffStateMissing, SourceLocation.None(stateOption), "without --state, the diff uses .migrate/state.db beside the new plan when it exists", Path.GetFullPath(stateOption));
        }

        if (useState && diff.HasChanges)
        {
            try
            {
                await using var store = await StateStoreFactory.OpenAsync(location, cancellationToken);
                diff = await PlanDiffRisks.AssessAsync(diff, before.Name, store, cancellationToken);
            }
            catch (StateStoreException ex)
            {
                console.Error.WriteLine(DiagnosticCatalog.StateUnavailable.Create(SourceLocation.None(StateStoreFactory.Describe(location)), null, ex.Message).ToMsBuildString());
                return Failed;
            }
        }

        console.Out.Write(PlanDiffRenderer.Render(diff, format));
        return diff.HasChanges ? Differences : NoDifferences;
    }

    private static PlanModel? Load(CliConsole console, string path, string display, string format)
    {
        var result = PlanLoader.Load(path, display);
        if (result.Plan is null || result.HasErrors)
        {
            DiagnosticPrinter.Print(console, result.Diagnostics, format == "json" ? "json" : "text");
            return null;
        }

        return result.Plan;
    }

    private static (string From, string To) ParseRange(string range)
    {
        var separator = range.IndexOf("..", StringComparison.Ordinal);
        if (separator < 0 || range.Contains("...", StringComparison.Ordinal))
        {
            throw Fail(DiagnosticCatalog.DiffUsage, SourceLocation.None("--git"), "write the range as BASE..HEAD, for example origin/main..HEAD", $"'{range}' is not a revision range");
        }

        var from = range[..separator];
        var to = range[(separator + 2)..];
        return (from.Length == 0 ? "HEAD" : from, to.Length == 0 ? "HEAD" : to);
    }

    private static DiffFailedException Fail(DiagnosticDescriptor descriptor, SourceLocation location, string? hint, params object?[] args) =>
        new(descriptor.Create(location, hint, args));

    private sealed class DiffFailedException(Diagnostic diagnostic) : Exception(diagnostic.Message)
    {
        public Diagnostic Diagnostic { get; } = diagnostic;
    }

    /// <summary>
    /// Checks out one plan at two revisions into a temp folder, keeping the relative layout of the plan and the CSV files
    /// it names, so that the loader resolves them exactly as in the repository. Reads with <c>git show</c>; never touches
    /// the working tree or the index.
    /// </summary>
    private sealed partial class GitWorkspace : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "migrate-diff-" + Guid.NewGuid().ToString("N")[..12]);
        private readonly string _repository;

        public GitWorkspace(string planPath)
        {
            var folder = Path.GetDirectoryName(planPath)!;
            if (!Directory.Exists(folder))
            {
                throw Fail(DiagnosticCatalog.DiffGitFailed, SourceLocation.None(planPath), null, "the plan's folder does not exist");
            }

            var (exit, output, error) = Git(folder, "rev-parse", "--show-toplevel");
            if (exit != 0)
            {
                throw Fail(DiagnosticCatalog.DiffGitFailed, SourceLocation.None(planPath), "run the diff inside a git working tree, or compare two files: migrate diff OLD NEW", FirstLine(error, "not a git repository"));
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
                throw Fail(DiagnosticCatalog.DiffGitFailed, SourceLocation.None("--git"), null, $"'{revision}' is not a revision");
            }

            var (verified, _, _) = Git(_repository, "rev-parse", "--verify", "--quiet", revision + "^{commit}");
            if (verified != 0)
            {
                throw Fail(DiagnosticCatalog.DiffGitFailed, SourceLocation.None("--git"), "fetch the revision first (in CI: a checkout with enough history, e.g. fetch-depth: 0)", $"revision '{revision}' does not exist in {_repository}");
            }

            var plan = Blob(revision, RelativePlanPath, YamlTreeReader.MaxFileBytes, "plan", RelativePlanPath);
            if (plan is null)
            {
                return null;
            }

            var root = Path.Combine(_root, label);
            var planFile = Write(root, RelativePlanPath, plan);
            var planFolder = Path.GetDirectoryName(RelativePlanPath)?.Replace('\\', '/') ?? string.Empty;
            foreach (var csv in CsvReferences(plan))
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

        /// <summary>The <c>csv:</c> values of spec.mailboxSets; a plan that does not parse has none (the loader reports why).</summary>
        private static List<string> CsvReferences(byte[] plan)
        {
            var result = new List<string>();
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(Encoding.UTF8.GetString(plan)));
                if (stream.Documents.Count > 0
                    && stream.Documents[0].RootNode is YamlMappingNode root
                    && root.Children.TryGetValue(new YamlScalarNode("spec"), out var spec) && spec is YamlMappingNode specMap
                    && specMap.Children.TryGetValue(new YamlScalarNode("mailboxSets"), out var sets) && sets is YamlMappingNode setMap)
                {
                    foreach (var set in setMap.Children.Values.OfType<YamlMappingNode>())
                    {
                        if (set.Children.TryGetValue(new YamlScalarNode("csv"), out var csv) && csv is YamlScalarNode { Value: { Length: > 0 } path })
                        {
                            result.Add(path);
                        }
                    }
                }
            }
            catch (YamlDotNet.Core.YamlException)
            {
                // The loader reports the syntax error with its line.
            }

            return result;
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
                throw Fail(DiagnosticCatalog.DiffGitFailed, SourceLocation.None("git"), "install git or compare two files: migrate diff OLD NEW", $"git cannot be run: {ex.Message}");
            }
        }

        private static string FirstLine(string text, string fallback)
        {
            var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            return string.IsNullOrEmpty(line) ? fallback : line;
        }
    }
}
