using System.Globalization;
using System.Text;
using System.Text.Json;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.State;

/// <summary>
/// Prints a <see cref="StatusView"/> with what is live (the plan's lock holder, each mailbox's lease holder). Text lists
/// every mailbox of a small plan; above <see cref="ListLimit"/> mailboxes it gives the counts per migration and the first
/// mailboxes that are not done (failed first), with a pointer to <c>--full</c>, so its size does not grow with the plan.
/// JSON always has every mailbox.
/// </summary>
public static class StatusRenderer
{
    /// <summary>Plans with at most this many mailboxes list them all in text.</summary>
    public const int ListLimit = 100;

    /// <summary>Mailboxes listed per migration in the summary of a larger plan.</summary>
    public const int ShownPerMigration = 25;

    public static string Text(StatusView view, string stateDescription, LockOwner? owner, Func<StatusRow, string?> heldBy, bool full, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(heldBy);
        var text = new StringBuilder(view.Rows.Count > ListLimit && !full ? 8192 : view.Rows.Count * 100 + 1024);
        text.Append("Plan ").Append(view.Plan).Append(", state ").Append(stateDescription)
            .Append(owner is null ? string.Empty : $", being applied by {owner}").Append('\n');
        var listAll = full || view.Rows.Count <= ListLimit;
        var width = Math.Max(7, view.Rows.Count == 0 ? 0 : view.Rows.Max(r => r.Mailbox.Length));
        foreach (var group in view.Rows.GroupBy(r => r.Migration))
        {
            var rows = group.ToList();
            text.Append('\n');
            if (listAll)
            {
                text.Append("Migration ").Append(group.Key).Append('\n');
                AppendRows(text, rows, width, heldBy);
                continue;
            }

            // Attention first: failed, interrupted, in progress or held, then the rest that is not done, in plan order.
            var notDone = rows.Where(r => !IsFinished(r.Status) || heldBy(r) is not null)
                .OrderBy(r => heldBy(r) is not null ? Math.Min(Rank(r.Status), HeldRank) : Rank(r.Status)).ToList();
            text.Append("Migration ").Append(group.Key).Append(": ").Append(CountsLine(rows)).Append('\n');
            if (notDone.Count == 0)
            {
                text.Append("  every mailbox is done\n");
                continue;
            }

            var shown = notDone.Take(ShownPerMigration).ToList();
            text.Append(notDone.Count > shown.Count ? $"  first {shown.Count} of {notDone.Count:N0} mailboxes that are not done:\n" : "  mailboxes that are not done:\n");
            AppendRows(text, shown, Math.Max(7, shown.Max(r => r.Mailbox.Length)), heldBy);
            if (notDone.Count > shown.Count)
            {
                text.Append("  ... and ").Append((notDone.Count - shown.Count).ToString("N0", CultureInfo.InvariantCulture))
                    .Append(" more: 'migrate status ").Append(displayPath).Append(" --full' lists every mailbox ('--output json' for tools).\n");
            }
        }

        text.Append('\n').Append(view.TotalLine).Append('\n');
        return text.ToString();
    }

    public static string Json(StatusView view, LockOwner? owner, Func<StatusRow, string?> heldBy)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(heldBy);
        var totals = new
        {
            mailboxes = view.Tally.Mailboxes, done = view.Tally.Done, failed = view.Tally.Failed, in_progress = view.Tally.InProgress, pending = view.Tally.Pending,
            copied = view.Totals.Copied, bytes = view.Totals.Bytes, already_present = view.Totals.AlreadyPresent, left_out = view.Totals.LeftOut,
            bad_items = view.Totals.BadItems, warnings = view.Totals.Warnings, placed_elsewhere = view.Totals.PlacedElsewhere, line = view.TotalLine,
        };
        var rows = view.Rows.Select(r => new JsonRow(r.Migration, r.Mailbox, r.Status, r.StepsDone, r.Steps, r.Copied, r.Bytes, r.AlreadyPresent, r.LeftOut, r.BadItems, r.Error, heldBy(r)) { PlacedElsewhere = r.PlacedElsewhere });
        return JsonSerializer.Serialize(new { format_version = "1", plan = view.Plan, locked_by = owner?.ToString(), totals, mailboxes = rows }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
    }

    private static void AppendRows(StringBuilder text, List<StatusRow> rows, int width, Func<StatusRow, string?> heldBy)
    {
        // Gmail label entries whose message's one copy went to another folder: a column only where there are some.
        var elsewhere = rows.Any(r => r.PlacedElsewhere > 0);
        text.Append($"  {"mailbox".PadRight(width)}  {"status",-11}  {"steps",5}  {"copied",8}  {"size",9}  {"present",8}  {"left out",8}  {"bad",5}")
            .Append(elsewhere ? $"  {"elsewhere",9}" : string.Empty).Append('\n');
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {row.Mailbox.PadRight(width)}  {row.Status,-11}  {row.StepsDone,2}/{row.Steps,-2}  {row.Copied,8}  {Executor.FormatSize(row.Bytes),9}  {row.AlreadyPresent,8}  {row.LeftOut,8}  {row.BadItems,5}");
            if (elsewhere)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {row.PlacedElsewhere,9}");
            }

            text.Append('\n');
            if (row.Error is not null)
            {
                text.Append("    ").Append(row.Error).Append('\n');
            }

            if (heldBy(row) is { } holder)
            {
                text.Append("    held by ").Append(holder).Append('\n');
            }
        }
    }

    /// <summary>"50,000 mailboxes: 49,990 done, 3 failed, ..." for one migration (Exchange-native rows count by their batch status).</summary>
    private static string CountsLine(List<StatusRow> rows)
    {
        var byStatus = rows.GroupBy(r => r.Status).OrderBy(g => Rank(g.Key)).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count():N0} {g.Key}"));
        return string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} mailboxes: ") + string.Join(", ", byStatus);
    }

    /// <summary>Done (an engine-driven mailbox) or completed (a mailbox of an Exchange-native batch).</summary>
    private static bool IsFinished(string status) => status is "done" or "completed";

    /// <summary>A mailbox held by a running apply comes after failed and running ones, before those merely waiting.</summary>
    private const int HeldRank = 3;

    private static int Rank(string status) => status switch
    {
        "failed" => 0,
        "interrupted" => 1,
        "in progress" => 2,
        "pending" => 4,
        "done" => 5,
        _ => 3,
    };

    /// <summary>A mailbox in status's JSON: the view's row and, live, who holds its lease.</summary>
    private sealed record JsonRow(string Migration, string Mailbox, string Status, int StepsDone, int Steps, long Copied, long Bytes, long AlreadyPresent, long LeftOut, long BadItems, string? Error, string? HeldBy)
    {
        public long PlacedElsewhere { get; init; }
    }
}
