using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MigrationEngine.Cli.Hosting;
using MigrationEngine.Core.Checking;
using MigrationEngine.Core.Diagnostics;
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
                console.Out.WriteLine(CheckOutput.Json(report));
            }
            else
            {
                console.Out.Write(CheckOutput.Table(report));
                DiagnosticPrinter.Print(console, CheckOutput.AllDiagnostics(report), "text", summaryLine: false);
            }

            return report.Passed ? ExitCodes.Success : ExitCodes.Error;
        });
        return command;
    }
}

/// <summary>The table and JSON forms of a check report (golden-tested; times only in the summary line and in JSON).</summary>
internal static class CheckOutput
{
    public static string Label(ProbeOutcome outcome) => outcome switch
    {
        ProbeOutcome.Ok => "ok",
        ProbeOutcome.CreatedByApply => "created by apply",
        ProbeOutcome.NotChecked => "not checked",
        ProbeOutcome.MailboxMissing => "no such mailbox",
        ProbeOutcome.NoMailbox => "user without mailbox",
        ProbeOutcome.LoginRefused => "login refused",
        ProbeOutcome.NotAuthorized => "not authorized for this mailbox",
        ProbeOutcome.Unreachable => "unreachable",
        ProbeOutcome.SecretMissing => "secret missing",
        _ => "failed",
    };

    public static IReadOnlyList<Diagnostic> AllDiagnostics(CheckReport report) =>
        report.Diagnostics
            .Concat(report.Mailboxes.SelectMany(m => new[] { m.Source.Diagnostic, m.Target.Diagnostic }).OfType<Diagnostic>())
            .ToList();

    public static string Table(CheckReport report)
    {
        var text = new StringBuilder();
        if (report.Mailboxes.Count > 0)
        {
            string[] header = ["MIGRATION", "SOURCE", "TARGET", "SOURCE CHECK", "TARGET CHECK"];
            var rows = report.Mailboxes.Select(m => new[] { m.Migration, m.Mailbox.SourceAddress, m.Mailbox.TargetAddress, Label(m.Source.Outcome), Label(m.Target.Outcome) }).ToList();
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
            text.AppendLine(Line(header, widths));
            foreach (var row in rows)
            {
                text.AppendLine(Line(row, widths));
            }

            text.AppendLine();
        }

        var failed = report.Mailboxes.Count(m => !m.Passed);
        var errors = report.Diagnostics.Count(d => d.IsError);
        text.Append(CultureInfo.InvariantCulture, $"{report.Mailboxes.Count} mailbox(es) checked in {report.Elapsed.TotalSeconds:0.0} s: {report.Mailboxes.Count - failed} ok, {failed} failed");
        if (errors > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {errors} error(s) found before logging in");
        }

        text.AppendLine(".");
        if (report.Mailboxes.Any(m => m.Source.Outcome == ProbeOutcome.LoginRefused || m.Target.Outcome == ProbeOutcome.LoginRefused))
        {
            text.AppendLine("login refused: a wrong password or a mailbox that does not exist (IMAP servers answer both alike).");
        }

        if (report.Mailboxes.Any(m => m.Source.Outcome == ProbeOutcome.NotAuthorized || m.Target.Outcome == ProbeOutcome.NotAuthorized))
        {
            text.AppendLine("not authorized for this mailbox: the admin login was accepted but may not open this mailbox; most often it does not exist.");
        }

        return text.ToString();
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

    public static string Json(CheckReport report) => JsonSerializer.Serialize(new
    {
        format_version = "1",
        passed = report.Passed,
        elapsed_ms = (long)report.Elapsed.TotalMilliseconds,
        diagnostics = report.Diagnostics.Select(DiagnosticPrinter.JsonDiagnostic),
        mailboxes = report.Mailboxes.Select(m => new
        {
            migration = m.Migration,
            source = m.Mailbox.SourceAddress,
            target = m.Mailbox.TargetAddress,
            passed = m.Passed,
            elapsed_ms = (long)m.Elapsed.TotalMilliseconds,
            source_check = Side(m.Source),
            target_check = Side(m.Target),
        }),
    }, new JsonSerializerOptions { WriteIndented = true });

    private static object Side(ProbeResult result) => new
    {
        outcome = JsonNamingPolicy.SnakeCaseLower.ConvertName(result.Outcome.ToString()),
        diagnostic = result.Diagnostic is null ? null : DiagnosticPrinter.JsonDiagnostic(result.Diagnostic),
    };
}
