using System.Text;
using System.Text.Json;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Planning;

/// <summary>Text, JSON and Markdown forms of a plan result, in the what-if style: legend, one line per step, closing counts.</summary>
public static class PlanRenderer
{
    public const string FormatVersion = "1";

    public static string Symbol(PlannedAction action) => action switch
    {
        PlannedAction.Create => "+",
        PlannedAction.Rerun => "~",
        PlannedAction.Unchanged => "=",
        _ => "?",
    };

    public static string Word(PlannedAction action) => action switch
    {
        PlannedAction.Create => "create",
        PlannedAction.Rerun => "re-run",
        PlannedAction.Unchanged => "unchanged",
        _ => "cannot evaluate",
    };

    public static string CountLine(PlanResult result) =>
        $"Plan: {result.Count(PlannedAction.Create)} to create, {result.Count(PlannedAction.Rerun)} to re-run, {result.Count(PlannedAction.Unchanged)} unchanged, {result.Count(PlannedAction.CannotEvaluate)} to evaluate at run time.";

    public static string Text(PlanResult result, string displayPath)
    {
        var text = new StringBuilder();
        text.Append("Plan ").Append(result.Plan.Name).Append(" (").Append(displayPath).Append(")\n");
        text.Append("State: ").Append(result.StateLocation).Append('\n');
        text.Append("\nLegend: + create   ~ re-run (inputs changed or not finished)   = unchanged   ? cannot evaluate before run time\n");
        foreach (var group in result.Steps.GroupBy(s => s.Step.Migration))
        {
            var migration = result.Plan.Migrations.FirstOrDefault(m => m.Name == group.Key);
            text.Append("\nMigration ").Append(group.Key);
            if (migration is not null)
            {
                text.Append(" (").Append(migration.Type.Yaml()).Append(", ").Append(migration.From).Append(" -> ").Append(migration.To).Append(')');
            }

            text.Append('\n');
            foreach (var planned in group)
            {
                text.Append("  ").Append(Symbol(planned.Action)).Append(' ').Append(planned.Step.Id);
                text.Append("\n      ").Append(planned.Step.Description);
                if (planned.Reason is not null)
                {
                    text.Append(" [").Append(planned.Reason).Append(']');
                }

                text.Append('\n');
            }
        }

        AppendProvisioning(text, result.Plan);
        AppendRefresh(text, result);
        text.Append('\n').Append(CountLine(result)).Append('\n');
        return text.ToString();
    }

    /// <summary>What the sources hold now that the state does not: per mailbox that was copied before, then totals.</summary>
    private static void AppendRefresh(StringBuilder text, PlanResult result)
    {
        if (!result.ShowsRefresh)
        {
            return;
        }

        text.Append("\nSources refreshed (read-only):\n");
        foreach (var mailbox in result.Refresh!.Mailboxes.Where(m => m.State != RefreshState.NeverCopied))
        {
            text.Append("  ").Append(mailbox.HasPending ? '~' : mailbox.State == RefreshState.Refreshed ? '=' : '?').Append(' ')
                .Append(mailbox.Migration).Append('/').Append(mailbox.Mailbox).Append(": ")
                .Append(mailbox.State switch
                {
                    RefreshState.Refreshed => (mailbox.HasPending ? Planner.PendingText(mailbox) : mailbox.Note ?? "up to date") + Planner.VanishedText(mailbox),
                    RefreshState.Failed => "not refreshed: " + mailbox.Note,
                    _ => "not refreshed" + (mailbox.Note is null ? string.Empty : ": " + mailbox.Note),
                })
                .Append('\n');
        }

        text.Append(result.Refresh.TotalLine).Append('\n');
    }

    /// <summary>
    /// Targets that create missing users: which mailboxes may be created and with which licences. plan does not connect,
    /// so it lists the candidates; apply's preflight creates only those that do not exist.
    /// </summary>
    internal static void AppendProvisioning(StringBuilder text, PlanModel plan)
    {
        foreach (var (name, target) in plan.Targets.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (target.Provision is not { CreateUsers: true } provision)
            {
                continue;
            }

            var mailboxes = plan.Migrations.Where(m => m.To == name)
                .SelectMany(m => PlanCompiler.MailboxesOf(plan, m))
                .Select(m => m.TargetAddress)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            var licences = provision.Licenses.Count == 0 ? "no licence" : string.Join(", ", provision.Licenses);
            text.Append("\nProvisioning on target ").Append(name).Append(": users missing among these ").Append(mailboxes.Count)
                .Append(" mailboxes are created (usage location ").Append(provision.UsageLocation ?? "unset").Append(", ").Append(licences)
                .Append(" each; initial passwords to ").Append(provision.PasswordFile ?? "no file").Append("):\n");
            foreach (var mailbox in mailboxes.Take(50))
            {
                text.Append("  + user ").Append(mailbox).Append(" (if missing)\n");
            }

            if (mailboxes.Count > 50)
            {
                text.Append("  ... and ").Append(mailboxes.Count - 50).Append(" more\n");
            }
        }
    }

    public static string Markdown(PlanResult result, string displayPath)
    {
        var text = new StringBuilder();
        text.Append("### Migration plan `").Append(result.Plan.Name).Append("`\n\n");
        text.Append("File: `").Append(displayPath).Append("`  \n");
        text.Append("**").Append(CountLine(result)).Append("**\n\n");
        if (result.ShowsRefresh)
        {
            text.Append(result.Refresh!.TotalLine).Append("\n\n");
        }

        foreach (var group in result.Steps.GroupBy(s => s.Step.Migration))
        {
            var changed = group.Where(s => s.Action != PlannedAction.Unchanged).ToList();
            text.Append("<details><summary>Migration <code>").Append(group.Key).Append("</code>: ")
                .Append(changed.Count).Append(" of ").Append(group.Count()).Append(" steps to run</summary>\n\n");
            text.Append("| | step | action | note |\n|---|---|---|---|\n");
            foreach (var planned in group)
            {
                text.Append("| ").Append(Symbol(planned.Action)).Append(" | `").Append(planned.Step.Id).Append("` | ")
                    .Append(Word(planned.Action)).Append(" | ").Append((planned.Reason ?? string.Empty).Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
            }

            text.Append("\n</details>\n\n");
        }

        return text.ToString();
    }

    public static string Json(PlanResult result, string displayPath)
    {
        var options = new JsonSerializerOptions { WriteIndented = true };
        var document = JsonSerializer.SerializeToNode(Document(result, displayPath), options)!.AsObject();
        if (result.ShowsRefresh)
        {
            var refresh = result.Refresh!;
            document["refresh"] = JsonSerializer.SerializeToNode(new
            {
                pending_messages = refresh.PendingMessages,
                vanished = refresh.Vanished,
                mailboxes = refresh.Mailboxes.Where(m => m.State != RefreshState.NeverCopied).Select(m => new
                {
                    migration = m.Migration,
                    mailbox = m.Mailbox,
                    state = RefreshWords.Of(m.State),
                    pending_messages = m.PendingMessages,
                    folders_changed = m.FoldersChanged,
                    flag_changes = m.FlagChanges,
                    vanished = m.Vanished,
                    note = m.Note,
                }),
            }, options);
        }

        return document.ToJsonString(options) + "\n";
    }

    private static object Document(PlanResult result, string displayPath) =>
        new
        {
            format_version = FormatVersion,
            plan = result.Plan.Name,
            file = displayPath,
            plan_hash = result.Plan.ContentHash,
            state_hash = result.StateHash,
            counts = new
            {
                create = result.Count(PlannedAction.Create),
                rerun = result.Count(PlannedAction.Rerun),
                unchanged = result.Count(PlannedAction.Unchanged),
                cannot_evaluate = result.Count(PlannedAction.CannotEvaluate),
            },
            steps = result.Steps.Select(s => new
            {
                id = s.Step.Id,
                kind = s.Step.KindText,
                migration = s.Step.Migration,
                mailbox = s.Step.Mailbox,
                action = Word(s.Action),
                reason = s.Reason,
                input_hash = s.Step.InputHash,
            }),
        };
}
