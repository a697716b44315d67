using System.Globalization;
using System.Text;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Planning;

/// <summary>
/// The default text and Markdown forms of a plan: counts per migration and per action, counts per step kind, then the first
/// changes and a pointer to <c>--full</c>. Their size does not grow with the number of mailboxes, so a 50,000-mailbox plan
/// stays readable in a terminal and fits a pull-request comment (GitHub refuses comments over 65,536 characters).
/// </summary>
public static class PlanSummaryRenderer
{
    /// <summary>Changes listed by default; <c>--full</c> lists every step.</summary>
    public const int ChangesShown = 25;

    /// <summary>Migrations listed in the Markdown table (a plan rarely has more; the rest are counted).</summary>
    public const int MigrationsShown = 50;

    /// <summary>A step's note (a failure message) is cut here in the summary; --full shows it whole.</summary>
    private const int NoteLength = 200;

    private static readonly PlannedAction[] Actions = [PlannedAction.Create, PlannedAction.Rerun, PlannedAction.Unchanged, PlannedAction.CannotEvaluate];

    /// <summary>Counts of one migration (or one step kind) by action, and its mailboxes.</summary>
    public sealed class Tally
    {
        private readonly int[] _counts = new int[Actions.Length];

        public int Mailboxes { get; set; }

        public int Steps => _counts.Sum();

        public int this[PlannedAction action] => _counts[Array.IndexOf(Actions, action)];

        public void Add(PlannedAction action) => _counts[Array.IndexOf(Actions, action)]++;
    }

    /// <summary>Per migration, in graph order: its mailboxes (from the plan) and its steps by action.</summary>
    public static IReadOnlyList<(string Migration, Tally Tally)> ByMigration(PlanResult result)
    {
        var tallies = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var planned in result.Steps)
        {
            if (!tallies.TryGetValue(planned.Step.Migration, out var tally))
            {
                // Mailboxes from the plan: an Exchange-native migration has batch steps, not steps per mailbox.
                var migration = result.Plan.Migrations.FirstOrDefault(m => m.Name == planned.Step.Migration);
                tallies[planned.Step.Migration] = tally = new Tally { Mailboxes = migration is null ? 0 : PlanCompiler.MailboxesOf(result.Plan, migration).Count };
                order.Add(planned.Step.Migration);
            }

            tally.Add(planned.Action);
        }

        return order.Select(m => (m, tallies[m])).ToList();
    }

    /// <summary>Per step kind, in the order kinds first appear in the graph.</summary>
    public static IReadOnlyList<(string Kind, Tally Tally)> ByKind(PlanResult result)
    {
        var tallies = new Dictionary<StepKind, Tally>();
        var order = new List<StepKind>();
        foreach (var planned in result.Steps)
        {
            if (!tallies.TryGetValue(planned.Step.Kind, out var tally))
            {
                tallies[planned.Step.Kind] = tally = new Tally();
                order.Add(planned.Step.Kind);
            }

            tally.Add(planned.Action);
        }

        return order.Select(k => (Step.KindName(k), tallies[k])).ToList();
    }

    public static string Text(PlanResult result, string displayPath)
    {
        var text = new StringBuilder();
        text.Append("Plan ").Append(result.Plan.Name).Append(" (").Append(displayPath).Append(")\n");
        text.Append("State: ").Append(result.StateLocation).Append('\n');
        text.Append("\nLegend: + create   ~ re-run (inputs changed or not finished)   = unchanged   ? cannot evaluate before run time\n");

        var migrations = ByMigration(result);
        var labels = migrations.Select(m => (m.Tally, Label: MigrationLabel(result, m.Migration))).ToList();
        var width = Math.Max("migration".Length, labels.Max(l => (int?)l.Label.Length) ?? 0);
        text.Append('\n').Append(Row("migration".PadRight(width), "mailboxes", "steps", "+ create", "~ re-run", "= unchanged", "? run time"));
        foreach (var (tally, label) in labels)
        {
            text.Append(Row(label.PadRight(width), Number(tally.Mailboxes), Number(tally.Steps), Number(tally[PlannedAction.Create]), Number(tally[PlannedAction.Rerun]),
                Number(tally[PlannedAction.Unchanged]), Number(tally[PlannedAction.CannotEvaluate])));
        }

        var kinds = ByKind(result);
        var kindWidth = Math.Max("step kind".Length, kinds.Max(k => (int?)k.Kind.Length) ?? 0);
        text.Append('\n').Append(Row("step kind".PadRight(kindWidth), string.Empty, "steps", "+ create", "~ re-run", "= unchanged", "? run time"));
        foreach (var (kind, tally) in kinds)
        {
            text.Append(Row(kind.PadRight(kindWidth), string.Empty, Number(tally.Steps), Number(tally[PlannedAction.Create]), Number(tally[PlannedAction.Rerun]),
                Number(tally[PlannedAction.Unchanged]), Number(tally[PlannedAction.CannotEvaluate])));
        }

        var changes = result.Steps.Where(s => s.Action != PlannedAction.Unchanged).Take(ChangesShown + 1).ToList();
        var changeCount = result.Steps.Count - result.Count(PlannedAction.Unchanged);
        text.Append('\n');
        text.Append(changeCount == 0 ? "No changes: every step is done with the inputs it has now.\n"
            : changeCount <= ChangesShown ? $"Changes ({Number(changeCount)}):\n"
            : $"First {ChangesShown} of {Number(changeCount)} changes:\n");
        foreach (var planned in changes.Take(ChangesShown))
        {
            text.Append("  ").Append(PlanRenderer.Symbol(planned.Action)).Append(' ').Append(planned.Step.Id);
            text.Append("\n      ").Append(planned.Step.Description);
            if (planned.Reason is not null)
            {
                text.Append(" [").Append(Cut(planned.Reason)).Append(']');
            }

            text.Append('\n');
        }

        if (changeCount > ChangesShown)
        {
            text.Append("  ... and ").Append(Number(changeCount - ChangesShown)).Append(" more: 'migrate plan ").Append(displayPath)
                .Append(" --full' lists every step ('--output json' for tools).\n");
        }

        PlanRenderer.AppendProvisioning(text, result.Plan);
        AppendRefresh(text, result, displayPath);
        text.Append('\n').Append(PlanRenderer.CountLine(result)).Append('\n');
        return text.ToString();
    }

    public static string Markdown(PlanResult result, string displayPath)
    {
        var text = new StringBuilder();
        text.Append("### Migration plan `").Append(result.Plan.Name).Append("`\n\n");
        text.Append("File: `").Append(displayPath).Append("`  \n");
        text.Append("**").Append(PlanRenderer.CountLine(result)).Append("**\n\n");
        if (result.ShowsRefresh)
        {
            text.Append(result.Refresh!.TotalLine).Append("\n\n");
        }

        text.Append("| Migration | Mailboxes | Steps | + create | ~ re-run | = unchanged | ? at run time |\n|---|---:|---:|---:|---:|---:|---:|\n");
        var migrations = ByMigration(result);
        foreach (var (migration, tally) in migrations.Take(MigrationsShown))
        {
            text.Append("| `").Append(migration).Append("` ").Append(MarkdownCell(TypeAndEndpoints(result, migration))).Append(" | ")
                .Append(Number(tally.Mailboxes)).Append(" | ").Append(Number(tally.Steps)).Append(" | ")
                .Append(Number(tally[PlannedAction.Create])).Append(" | ").Append(Number(tally[PlannedAction.Rerun])).Append(" | ")
                .Append(Number(tally[PlannedAction.Unchanged])).Append(" | ").Append(Number(tally[PlannedAction.CannotEvaluate])).Append(" |\n");
        }

        if (migrations.Count > MigrationsShown)
        {
            text.Append("\n… and ").Append(Number(migrations.Count - MigrationsShown)).Append(" more migrations.\n");
        }

        var changeCount = result.Steps.Count - result.Count(PlannedAction.Unchanged);
        if (changeCount == 0)
        {
            text.Append("\nNo changes: every step is done with the inputs it has now.\n");
            return text.ToString();
        }

        text.Append("\n<details><summary>")
            .Append(changeCount <= ChangesShown ? $"Changes ({Number(changeCount)})" : $"First {ChangesShown} of {Number(changeCount)} changes")
            .Append("</summary>\n\n| | step | action | note |\n|---|---|---|---|\n");
        foreach (var planned in result.Steps.Where(s => s.Action != PlannedAction.Unchanged).Take(ChangesShown))
        {
            text.Append("| ").Append(PlanRenderer.Symbol(planned.Action)).Append(" | `").Append(planned.Step.Id).Append("` | ")
                .Append(PlanRenderer.Word(planned.Action)).Append(" | ").Append(MarkdownCell(Cut(planned.Reason ?? string.Empty))).Append(" |\n");
        }

        text.Append("\n</details>\n");
        if (changeCount > ChangesShown)
        {
            text.Append("\n… and ").Append(Number(changeCount - ChangesShown)).Append(" more changes. Every step: `migrate plan ").Append(displayPath)
                .Append(" --full --output markdown` (the pipeline attaches it to the run as an artifact).\n");
        }

        return text.ToString();
    }

    /// <summary>The first few refreshed mailboxes (those with something pending or not read first), then the totals line.</summary>
    private static void AppendRefresh(StringBuilder text, PlanResult result, string displayPath)
    {
        if (!result.ShowsRefresh)
        {
            return;
        }

        // Mailboxes with new mail or not read first, then those up to date; the first few of them.
        var notable = result.Refresh!.Mailboxes.Where(m => m.State != RefreshState.NeverCopied)
            .OrderBy(m => m.HasPending || m.State != RefreshState.Refreshed ? 0 : 1).ToList();
        text.Append("\nSources refreshed (read-only):\n");
        foreach (var mailbox in notable.Take(ChangesShown))
        {
            text.Append("  ").Append(mailbox.HasPending ? '~' : mailbox.State == RefreshState.Refreshed ? '=' : '?').Append(' ')
                .Append(mailbox.Migration).Append('/').Append(mailbox.Mailbox).Append(": ")
                .Append(mailbox.State switch
                {
                    RefreshState.Refreshed => (mailbox.HasPending ? Planner.PendingText(mailbox) : mailbox.Note ?? "up to date") + Planner.VanishedText(mailbox),
                    RefreshState.Failed => "not refreshed: " + Cut(mailbox.Note ?? string.Empty),
                    _ => "not refreshed" + (mailbox.Note is null ? string.Empty : ": " + Cut(mailbox.Note)),
                })
                .Append('\n');
        }

        if (notable.Count > ChangesShown)
        {
            text.Append("  ... and ").Append(Number(notable.Count - ChangesShown)).Append(" more mailboxes: 'migrate plan ").Append(displayPath).Append(" --full' lists them.\n");
        }

        text.Append(result.Refresh.TotalLine).Append('\n');
    }

    private static string MigrationLabel(PlanResult result, string migration) => migration + " " + TypeAndEndpoints(result, migration);

    private static string TypeAndEndpoints(PlanResult result, string migration) =>
        result.Plan.Migrations.FirstOrDefault(m => m.Name == migration) is { } definition
            ? $"({definition.Type.Yaml()}, {definition.From} -> {definition.To})"
            : string.Empty;

    private static string Row(string first, string mailboxes, string steps, string create, string rerun, string unchanged, string runTime) =>
        $"  {first}  {mailboxes,9}  {steps,9}  {create,9}  {rerun,9}  {unchanged,11}  {runTime,10}".TrimEnd() + "\n";

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Cut(string note) => note.Length <= NoteLength ? note : note[..NoteLength] + "…";

    private static string MarkdownCell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
