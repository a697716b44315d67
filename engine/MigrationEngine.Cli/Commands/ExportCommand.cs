using System.CommandLine;
using System.Text;
using MigrationEngine.Adapters.Exchange;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Cli.Commands;

/// <summary>
/// <c>migrate export powershell PLAN [--out FILE]</c>: the plan's Exchange-native migrations as a standalone, idempotent PowerShell
/// script, for admins who run the steps themselves. Secrets stay references: the script reads them when it runs.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("export", "Export a plan in another form");
        var plan = Options.Plan();
        var outFile = new Option<string?>("--out") { Description = "The script file to write (default: standard output)" };
        var powershell = new Command("powershell", "Write the Exchange Online migration steps as a PowerShell script (ExchangeOnlineManagement)") { plan, outFile };
        powershell.SetAction(async (parse, cancellationToken) =>
        {
            var model = PlanInput.Load(console, parse.GetValue(plan)!);
            if (model is null)
            {
                return ExitCodes.Error;
            }

            var diagnostics = new List<Diagnostic>();
            var script = PowerShellScriptExporter.Export(model, ExchangeExecutorOptions.FromEnvironment(), diagnostics);
            if (script is null || diagnostics.Any(d => d.IsError))
            {
                DiagnosticPrinter.Print(console, diagnostics, "text");
                return ExitCodes.Error;
            }

            DiagnosticPrinter.Print(console, diagnostics, "text", summaryLine: false);
            if (parse.GetValue(outFile) is { } path)
            {
                await File.WriteAllTextAsync(path, script, new UTF8Encoding(false), cancellationToken);
                console.Error.WriteLine($"Wrote {Path.GetFullPath(path)}");
            }
            else
            {
                await console.Out.WriteAsync(script);
            }

            return ExitCodes.Success;
        });
        command.Subcommands.Add(powershell);
        return command;
    }
}
