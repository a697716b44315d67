using System.CommandLine;
using MigrationEngine.Cli.Commands;

namespace MigrationEngine.Cli;

/// <summary>The <c>migrate</c> command line: verbs and their options (System.CommandLine).</summary>
public static class CliApp
{
    private static readonly Func<CliConsole, Command>[] Commands =
    [
        ValidateCommand.Create, FormatCommand.Create, SchemaCommand.Create, GraphCommand.Create, PlanCommand.Create, CheckCommand.Create,
        InventoryCommand.Create, ApplyCommand.Create, StatusCommand.Create, UnlockCommand.Create, ReportCommand.Create, DiffCommand.Create,
        StateCommand.Create, ExportCommand.Create, CompletionCommand.Create,
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand("MigrationEngine: declarative mailbox migrations into Microsoft 365 and other targets.");
        // `migrate apply ...` (a GitOps pipeline's every run, a no-op pass included) builds its own command only: the parse
        // of its arguments, its usage errors and its help are the same with or without the other fourteen, and building
        // them is start-up time on the run's path. Every other command line (a typo, help, completion) gets the full tree.
        foreach (var create in args is ["apply", ..] ? [ApplyCommand.Create] : Commands)
        {
            root.Subcommands.Add(create(console));
        }

        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // apply handles Ctrl+C itself: the first press finishes the message in flight, records it and exits 130.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        if (parse.Errors.Count > 0)
        {
            foreach (var message in UsageErrors.Describe(root, parse, args))
            {
                stderr.WriteLine($"migrate: {message}");
            }

            var path = UsageErrors.CommandPath(parse.CommandResult.Command);
            stderr.WriteLine($"Run 'migrate {(path.Length == 0 ? "" : path + " ")}--help' for usage.");
            return ExitCodes.UsageOrChanges;
        }

        try
        {
            return await parse.InvokeAsync(configuration);
        }
        catch (CliUsageException usage)
        {
            stderr.WriteLine($"migrate: {usage.Message}");
            return ExitCodes.UsageOrChanges;
        }
        catch (Exception failure) when (Hosting.FailureDiagnostics.Describe(failure) is { } diagnostic)
        {
            stderr.WriteLine(diagnostic.ToMsBuildString());
            return ExitCodes.Error;
        }
    }
}
