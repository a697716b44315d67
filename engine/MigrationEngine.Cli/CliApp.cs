using System.CommandLine;
using MigrationEngine.Cli.Commands;

namespace MigrationEngine.Cli;

/// <summary>The <c>migrate</c> command line: verbs and their options (System.CommandLine).</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand("MigrationEngine: declarative mailbox migrations into Microsoft 365 and other targets.");
        root.Subcommands.Add(ValidateCommand.Create(console));
        root.Subcommands.Add(FormatCommand.Create(console));
        root.Subcommands.Add(SchemaCommand.Create(console));
        root.Subcommands.Add(GraphCommand.Create(console));
        root.Subcommands.Add(PlanCommand.Create(console));
        root.Subcommands.Add(CheckCommand.Create(console));
        root.Subcommands.Add(InventoryCommand.Create(console));
        root.Subcommands.Add(ApplyCommand.Create(console));
        root.Subcommands.Add(StatusCommand.Create(console));
        root.Subcommands.Add(UnlockCommand.Create(console));
        root.Subcommands.Add(ReportCommand.Create(console));
        root.Subcommands.Add(DiffCommand.Create(console));
        root.Subcommands.Add(StateCommand.Create(console));
        root.Subcommands.Add(ExportCommand.Create(console));
        root.Subcommands.Add(CompletionCommand.Create(console));

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
