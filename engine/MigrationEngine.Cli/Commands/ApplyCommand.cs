using System.CommandLine;
using MigrationEngine.Cli.Hosting;

namespace MigrationEngine.Cli.Commands;

/// <summary><c>migrate apply PLAN</c>: parses the arguments; <see cref="ApplyRun"/> does the rest.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliConsole console)
    {
        var plan = new Argument<string>("plan") { Description = "A plan file (YAML), or a saved plan made by 'migrate plan --out'" };
        var state = Options.State();
        var delta = new Option<bool>("--delta") { Description = "Kept as an alias: apply always copies what arrived since the last run in mailboxes already done; with it, unfinished mailboxes start from their cursors too" };
        var verbosity = new Option<string>("--verbosity", "-v") { Description = "quiet, normal or detailed", DefaultValueFactory = _ => "normal" };
        verbosity.AcceptOnlyFromAmong("quiet", "normal", "detailed");
        var logFormat = new Option<string>("--log-format") { Description = "Console log format: text or json", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var workersExpected = WorkerOptions.WorkersExpected();
        var command = new Command("apply", "Run the plan: copy what is not yet copied; safe to interrupt and re-run") { plan, state, delta, verbosity, logFormat, workersExpected };
        command.SetAction((parse, cancellationToken) => ApplyRun.RunAsync(console, new ApplyRequest(
            parse.GetValue(plan)!, parse.GetValue(state), parse.GetValue(delta), parse.GetValue(verbosity)!, parse.GetValue(logFormat)!, parse.GetValue(workersExpected)), cancellationToken));
        return command;
    }
}
