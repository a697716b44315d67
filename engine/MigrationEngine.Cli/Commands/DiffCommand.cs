using System.CommandLine;
using MigrationEngine.Core;
using MigrationEngine.Cli.Hosting;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Diffing;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Commands;

/// <summary>
/// <c>migrate diff OLD NEW</c> and <c>migrate diff --git REV1..REV2 PLAN</c>: what changes between two versions of a plan,
/// by meaning, with the risk of each change given the work recorded in state. Exit codes like <c>kubectl diff</c>:
/// 0 no differences, 1 differences, 2 an error.
/// </summary>
internal static class DiffCommand
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
            catch (PlanDiffException failed)
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
                throw new PlanDiffException(Diagnose.DiffUsage(SourceLocation.None("migrate diff"), $"--git and {paths.Length} plan files",
                    hint: "with --git, name exactly one plan file: migrate diff --git main..HEAD plans/wave1.yaml"));
            }

            var (rev1, rev2) = ParseRange(gitRange);
            var planPath = Path.GetFullPath(paths[0]);
            using var workspace = new GitRevisionWorkspace(planPath);
            var oldFile = workspace.Extract(rev1, "old");
            var newFile = workspace.Extract(rev2, "new");
            oldDisplay = $"{rev1}:{workspace.RelativePlanPath}";
            newDisplay = $"{rev2}:{workspace.RelativePlanPath}";
            after = newFile is null ? null : Load(console, newFile, newDisplay, format);
            if (newFile is null)
            {
                throw new PlanDiffException(Diagnose.DiffPlanMissingAtRevision(SourceLocation.None(paths[0]), workspace.RelativePlanPath, rev2));
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
            throw new PlanDiffException(Diagnose.DiffUsage(SourceLocation.None("migrate diff"), $"{paths.Length} plan file(s)",
                hint: "name the OLD and the NEW plan file, or use --git REV1..REV2 PLAN"));
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
            throw new PlanDiffException(Diagnose.DiffStateMissing(SourceLocation.None(stateOption), Path.GetFullPath(stateOption),
                hint: "without --state, the diff uses .migrate/state.db beside the new plan when it exists"));
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
                console.Error.WriteLine(StateStoreFactory.Unavailable(location, ex).ToMsBuildString());
                return Failed;
            }
        }

        console.Out.Write(PlanDiffRenderer.Render(diff, format));
        return diff.HasChanges ? Differences : NoDifferences;
    }

    private static PlanModel? Load(CliConsole console, string path, string display, string format)
    {
        var result = PlanPipeline.Load(path, display);
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
            throw new PlanDiffException(Diagnose.DiffUsage(SourceLocation.None("--git"), $"the revision range '{range}'",
                hint: "write the range as BASE..HEAD, for example origin/main..HEAD"));
        }

        var from = range[..separator];
        var to = range[(separator + 2)..];
        return (from.Length == 0 ? "HEAD" : from, to.Length == 0 ? "HEAD" : to);
    }
}
