using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Inventory;

/// <summary>
/// The table and Markdown forms of an inventory (golden-tested; the elapsed time only in the table's last line). The
/// Markdown is a pull-request comment: totals first, then the findings by code, then only the exceptions (errors and
/// warnings) row by row until a budget, so it stays under GitHub's 65,536-character comment limit at any plan size.
/// </summary>
public static class InventoryRenderer
{
    /// <summary>Characters the Markdown may use; the rest of GitHub's 65,536 is left for the closing lines and headroom.</summary>
    public const int MarkdownBudget = 60_000;

    private const int LargestMailboxesShown = 10;

    public static string Table(InventoryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        string[] header = ["MIGRATION", "SOURCE", "FOLDERS", "MESSAGES", "SIZE", "LARGEST", "OLDEST", "NEWEST", "STATUS"];
        var rows = report.Mailboxes.Select(m => new[]
        {
            m.Migration, m.Source, m.Folders.Count.ToString(CultureInfo.InvariantCulture), m.Messages.ToString("N0", CultureInfo.InvariantCulture),
            Executor.FormatSize(m.Bytes), m.LargestItem is { } largest ? Executor.FormatSize(largest.Size) : "-",
            Day(m.Unique.Min(f => f.Oldest)), Day(m.Unique.Max(f => f.Newest)), Status(m),
        }).ToList();
        if (rows.Count > 0)
        {
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
            text.AppendLine(Line(header, widths));
            foreach (var row in rows)
            {
                text.AppendLine(Line(row, widths));
            }

            text.AppendLine();
        }

        text.AppendLine(Totals(report));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Read in {report.Elapsed.TotalSeconds:0.0} s."));
        return text.ToString();
    }

    public static string Markdown(InventoryReport report, string planPath)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Inventory of `{Cell(Path.GetFileName(planPath))}` (plan {Cell(report.Plan)})");
        text.AppendLine();
        text.AppendLine(Totals(report));
        text.AppendLine();
        text.AppendLine("| Size class | Messages |");
        text.AppendLine("|---|---:|");
        for (var i = 0; i < SizeClasses.Labels.Count; i++)
        {
            var count = report.Mailboxes.Sum(m => m.Unique.Sum(f => f.SizeBuckets[i]));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {SizeClasses.Labels[i]} | {count:N0} |");
        }

        text.AppendLine();
        var byCode = report.Findings.GroupBy(d => d.Code).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (byCode.Count == 0)
        {
            text.AppendLine("No findings: nothing the targets refuse or the sources throttle was found.");
            return text.ToString();
        }

        text.AppendLine("| Code | Severity | Finding | Count |");
        text.AppendLine("|---|---|---|---:|");
        foreach (var group in byCode)
        {
            var title = DiagnosticCatalog.All.FirstOrDefault(d => d.Code == group.Key)?.Title ?? group.Key;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {Severity(group.First())} | {Cell(title)} | {group.Count():N0} |");
        }

        text.AppendLine();
        var exceptions = report.Findings.Where(d => d.Severity != DiagnosticSeverity.Info)
            .OrderBy(d => d.Severity).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
        if (exceptions.Count > 0)
        {
            text.AppendLine("| Code | Plan line | Finding |");
            text.AppendLine("|---|---|---|");
            var shown = 0;
            foreach (var finding in exceptions)
            {
                var row = $"| {finding.Code} | {Cell(Where(finding))} | {Cell(finding.Message)} |";
                if (text.Length + row.Length + 200 > MarkdownBudget)
                {
                    break;
                }

                text.AppendLine(row);
                shown++;
            }

            if (shown < exceptions.Count)
            {
                text.AppendLine();
                text.AppendLine(CultureInfo.InvariantCulture, $"…and {exceptions.Count - shown:N0} more; `migrate inventory --output json` lists every finding.");
            }
        }

        AppendLargest(text, report);
        return text.ToString();
    }

    private static void AppendLargest(StringBuilder text, InventoryReport report)
    {
        var largest = report.Mailboxes.Where(m => m.Outcome == InventoryOutcome.Read).OrderByDescending(m => m.Bytes).Take(LargestMailboxesShown).ToList();
        var block = new StringBuilder();
        block.AppendLine();
        block.AppendLine("| Largest mailboxes | Messages | Size |");
        block.AppendLine("|---|---:|---:|");
        foreach (var mailbox in largest)
        {
            block.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(mailbox.Source)} | {mailbox.Messages:N0} | {Executor.FormatSize(mailbox.Bytes)} |");
        }

        if (largest.Count > 0 && text.Length + block.Length <= MarkdownBudget)
        {
            text.Append(block);
        }
    }

    private static string Totals(InventoryReport report)
    {
        var failed = report.Mailboxes.Count(m => m.Outcome == InventoryOutcome.Failed);
        var notRead = report.Mailboxes.Count(m => m.Outcome == InventoryOutcome.NotRead);
        var errors = report.Findings.Count(d => d.IsError);
        var warnings = report.Findings.Count(d => d.Severity == DiagnosticSeverity.Warning);
        return string.Create(CultureInfo.InvariantCulture,
            $"{report.Mailboxes.Count:N0} mailbox(es): {report.Messages:N0} messages, {Executor.FormatSize(report.Bytes)} to move; {report.Mailboxes.Count - failed - notRead:N0} read, {failed:N0} failed, {notRead:N0} not read by the engine; {errors:N0} error(s), {warnings:N0} warning(s).")
            + Collections(report);
    }

    /// <summary>Contacts and calendars, only for plans that move them (mail-only outputs are unchanged).</summary>
    private static string Collections(InventoryReport report)
    {
        var all = report.Mailboxes.SelectMany(m => m.Collections).ToList();
        if (all.Count == 0)
            return "";
        string Kind(Execution.ItemKind kind, string collections, string items)
        {
            var of = all.Where(c => c.Kind == kind).ToList();
            return string.Create(CultureInfo.InvariantCulture, $"{of.Count:N0} {collections} ({of.Sum(c => c.Items):N0} {items}, {of.Sum(c => c.BadItems):N0} bad)");
        }

        return Environment.NewLine + "Contacts and calendars: " + Kind(Execution.ItemKind.Contacts, "address book(s)", "contacts")
            + ", " + Kind(Execution.ItemKind.Calendar, "calendar(s)", "calendar items") + ".";
    }

    private static string Status(MailboxInventory mailbox) => mailbox.Outcome switch
    {
        InventoryOutcome.Read => "read",
        InventoryOutcome.NotRead => "not read (Exchange Online reads it)",
        _ => "failed: " + mailbox.Failure?.Code,
    };

    private static string Severity(Diagnostic diagnostic) => diagnostic.Severity.ToString().ToLowerInvariant();

    private static string Where(Diagnostic diagnostic) =>
        diagnostic.Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(diagnostic.File)}:{diagnostic.Line}") : Path.GetFileName(diagnostic.File);

    private static string Day(DateTimeOffset? date) => date?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

    /// <summary>A table cell: pipes and line breaks of names from the sources cannot break the table.</summary>
    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>The JSON form (<c>inventory -o json</c>).</summary>
    public static string Json(InventoryReport report)
    {
        var root = new JsonObject
        {
            ["format_version"] = "1",
            ["plan"] = report.Plan,
            ["elapsed_ms"] = (long)report.Elapsed.TotalMilliseconds,
            ["totals"] = new JsonObject
            {
                ["mailboxes"] = report.Mailboxes.Count,
                ["messages"] = report.Messages,
                ["bytes"] = report.Bytes,
                ["errors"] = report.Findings.Count(d => d.IsError),
                ["warnings"] = report.Findings.Count(d => d.Severity == DiagnosticSeverity.Warning),
            },
            ["findings"] = JsonSerializer.SerializeToNode(report.Findings.Select(DiagnosticJson.Of).ToList()),
            ["mailboxes"] = new JsonArray(report.Mailboxes.Select(m => (JsonNode)InventoryJson.ToJson(m)).ToArray<JsonNode?>()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }
}
