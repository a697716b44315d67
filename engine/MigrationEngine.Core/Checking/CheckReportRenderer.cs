using System.Globalization;
using System.Text;
using System.Text.Json;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Checking;

/// <summary>The table and JSON forms of a check report (golden-tested; times only in the summary line and in JSON).</summary>
public static class CheckReportRenderer
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
        diagnostics = report.Diagnostics.Select(DiagnosticJson.Of),
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
        diagnostic = result.Diagnostic is null ? null : DiagnosticJson.Of(result.Diagnostic),
    };
}
