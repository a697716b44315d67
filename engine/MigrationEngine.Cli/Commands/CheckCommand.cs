using System.CommandLine;
using MigrationEngine.Cli.Hosting;
using MigrationEngine.Core.Checking;
using MigrationEngine.Reports;

namespace MigrationEngine.Cli.Commands;

/// <summary>
/// <c>migrate check PLAN</c>: the offline references (as <c>validate --resolve</c>), then a login to every source and target
/// of each mailbox (or a sample), reported per mailbox. Exit 0 when everything answered, 1 otherwise.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(CliConsole console)
    {
        var plan = Options.Plan();
        var mailbox = new Option<string?>("--mailbox") { Description = "Check only the mailbox with this source or target address" };
        var sample = new Option<int?>("--sample") { Description = "Check at most N mailboxes per migration, spread evenly over its list" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds one side of one mailbox may take (connect, TLS, login)", DefaultValueFactory = _ => 60 };
        var output = Options.Output("table", "json");
        var command = new Command("check", "Before apply: resolve every secret and file, log in to every source and target, check that target mailboxes exist")
        {
            plan, mailbox, sample, timeout, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(sample) is <= 0 || parse.GetValue(timeout) <= 0)
            {
                throw new CliUsageException("--sample and --timeout take a positive number");
            }

            var format = parse.GetValue(output)!;
            var model = PlanInput.Load(console, parse.GetValue(plan)!, format == "json" ? "json" : "text");
            if (model is null)
            {
                return ExitCodes.Error;
            }

            var options = new CheckOptions
            {
                Mailbox = parse.GetValue(mailbox),
                Sample = parse.GetValue(sample),
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            };
            var registry = AdapterComposition.CreateRegistry();
            var report = await new MailboxChecker(registry).CheckAsync(model, options, ReportRenderer.BuiltinTemplates, cancellationToken);
            if (format == "json")
            {
                console.Out.WriteLine(CheckReportRenderer.Json(report));
            }
            else
            {
                console.Out.Write(CheckReportRenderer.Table(report));
                DiagnosticPrinter.Print(console, CheckReportRenderer.AllDiagnostics(report), "text", summaryLine: false);
            }

            return report.Passed ? ExitCodes.Success : ExitCodes.Error;
        });
        return command;
    }
}
