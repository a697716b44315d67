using System.Globalization;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Diffing;

/// <summary>
/// Flags changes that touch work already done, from the state of the old plan (state is keyed by plan name):
/// removing a migrated mailbox, retargeting a mailbox that has mail in its old target, changing what a migration copies
/// after a pass, removing or renaming what state is keyed by.
/// </summary>
public static class PlanDiffRisks
{
    private static readonly HashSet<string> SelectionFields = new(StringComparer.Ordinal)
    {
        "filters.since", "filters.before", "filters.maxMessageSize", "filters.includeDeleted",
        "folders.include", "folders.exclude", "folders.map", "labelCopies", "gmail.labelPriority", "gmail.important",
    };

    public static async Task<PlanDiff> AssessAsync(PlanDiff diff, string oldPlanName, IStateStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(store);
        var totals = await store.GetMailboxTotalsAsync(oldPlanName, cancellationToken);
        var steps = await store.GetStepsAsync(oldPlanName, cancellationToken);
        var copiedByMailbox = totals
            .GroupBy(t => t.Mailbox, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (Copied: g.Sum(t => t.Copied + t.AlreadyPresent), Migrations: g.Select(t => t.Migration).Distinct().Order(StringComparer.Ordinal).ToList()), StringComparer.OrdinalIgnoreCase);
        var copiedByMigration = totals
            .GroupBy(t => t.Migration, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Mailboxes: g.Count(t => t.Copied + t.AlreadyPresent > 0), Messages: g.Sum(t => t.Copied + t.AlreadyPresent)), StringComparer.Ordinal);
        var succeededByMigration = steps.Values
            .Where(s => s.Status == StepStatus.Succeeded && s.Kind is "copy" or "complete-batch" or "start-batch")
            .Select(s => s.StepId.Split('/'))
            .Where(parts => parts.Length >= 2)
            .GroupBy(parts => parts[1], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        string? MailboxRisk(string? targetAddress, string what)
        {
            if (targetAddress is null || !copiedByMailbox.TryGetValue(targetAddress.Trim(), out var done) || done.Copied == 0)
            {
                return null;
            }

            return string.Create(CultureInfo.InvariantCulture, $"{done.Copied} message(s) already migrated to {targetAddress.Trim()} ({string.Join(", ", done.Migrations)}); {what}");
        }

        bool MigrationHasWork(string migration, out string summary)
        {
            copiedByMigration.TryGetValue(migration, out var copied);
            succeededByMigration.TryGetValue(migration, out var succeeded);
            summary = string.Create(CultureInfo.InvariantCulture, $"{copied.Mailboxes} mailbox(es) and {copied.Messages} message(s) already migrated");
            return copied.Messages > 0 || succeeded > 0;
        }

        var anyState = totals.Count > 0 || steps.Count > 0;
        var assessed = new List<PlanChange>(diff.Changes.Count);
        foreach (var change in diff.Changes)
        {
            string? risk = null;
            switch (change.Category, change.Kind)
            {
                case ("mailbox", PlanChangeKind.Removed):
                    risk = MailboxRisk(change.OldTarget, "removing it stops its sync; mail already copied stays in the target and its history leaves reports");
                    break;
                case ("mailbox", PlanChangeKind.Retargeted):
                    risk = MailboxRisk(change.OldTarget, $"the new target {change.After} starts empty and receives a full copy; the old target keeps its copy");
                    break;
                case ("mailbox", PlanChangeKind.Moved) when change.Field == "migrations":
                    risk = MailboxRisk(change.OldTarget, "progress is recorded per migration: a migration it moves to copies it again (the target check skips messages already there)");
                    break;
                case ("migration", PlanChangeKind.Removed) when MigrationHasWork(change.Subject, out var summary):
                    risk = $"{summary}; removing the migration stops their sync and drops them from reports";
                    break;
                case ("migration", PlanChangeKind.Changed) when SelectionFields.Contains(change.Field ?? string.Empty) && MigrationHasWork(change.Subject, out var summary):
                    risk = $"{summary} under the old {change.Field}: messages already copied are not removed from the target; newly selected ones are copied on the next run";
                    break;
                case ("migration", PlanChangeKind.Changed) when change.Field is "type" or "from" or "to" && MigrationHasWork(change.Subject, out var summary):
                    risk = $"{summary}; changing {change.Field} after a pass re-runs every step of the migration against the new endpoints";
                    break;
                case ("source" or "target", PlanChangeKind.Removed or PlanChangeKind.Changed) when anyState && change.Field is null or "type" or "host" or "path" or "server" or "tenantId":
                    risk = $"the plan has recorded work; changing {change.Category} {change.Subject} ({change.Field ?? "removed"}) after a pass makes the next run check every message against the target again";
                    break;
                case ("plan", PlanChangeKind.Changed) when change.Field == "name" && anyState:
                    risk = $"state is keyed by the plan's name: under the new name '{change.After}' the plan starts with no recorded progress (move it with 'migrate state export/import')";
                    break;
            }

            assessed.Add(risk is null ? change : change with { Risk = risk });
        }

        return diff with { Changes = assessed, StateLocation = store.Location };
    }
}
