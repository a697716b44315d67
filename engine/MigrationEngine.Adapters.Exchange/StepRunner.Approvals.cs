using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>
/// Reviewable approvals of skipped items. "If the migration receives a grade of Investigate, then you can approve skipped items manually to
/// allow the migration to succeed ... If the migration fails with a grade of Poor, you cannot force the migration to succeed."
/// https://learn.microsoft.com/exchange/mailbox-migration/track-prevent-data-loss-dcs. apply approves exactly what the plan's
/// exchange.skippedItemApprovals accept (per mailbox or *, up to a number of items), one user at a time with Set-MigrationUser
/// -ApproveSkippedItems (https://learn.microsoft.com/powershell/module/exchangepowershell/set-migrationuser); the rest waits for a reviewer.
/// </summary>
internal sealed partial class StepRunner
{
    private async Task<bool> ApproveSkippedItemsAsync(Step step, BatchSpec spec, BatchProgress progress, CancellationToken cancellationToken)
    {
        var approved = new List<string>();
        var pending = new List<UserProgress>();
        foreach (var user in progress.Users.Where(u => u.NeedsApproval && u.Dcs == "Investigate"))
        {
            // A mailbox's own approval first, then one for every mailbox; never one whose count the user's skipped items exceed.
            var approval = _migration.Exchange.SkippedItemApprovals
                .Where(a => a.AppliesTo(user.Identity) && user.Skipped <= a.MaxSkippedItems)
                .OrderBy(a => a.Mailbox == "*")
                .FirstOrDefault();
            if (approval is null)
            {
                pending.Add(user);
                continue;
            }

            await session.InvokeAsync("Set-MigrationUser", [("Identity", user.Identity), ("ApproveSkippedItems", true)], cancellationToken);
            approved.Add($"{user.Describe()} approved by {approval.ApprovedBy}");
        }

        if (approved.Count > 0)
        {
            diagnostics.Add(Diagnose.ExchangeSkippedItemsApproved(_migration.Location, spec.Name, string.Join("; ", approved)));
        }

        var poor = progress.Users.Where(u => u.Dcs == "Poor").ToList();
        if (poor.Count > 0)
        {
            var diagnostic = Diagnose.ExchangeDataLossPoor(_migration.Location,
                spec.Name, string.Join("; ", poor.Select(u => u.Describe())),
                    hint: "contact Microsoft Support (https://learn.microsoft.com/exchange/mailbox-migration/track-prevent-data-loss-dcs); 'migrate status' lists the skipped items by kind");
            diagnostics.Add(diagnostic);
            await context.SaveStepAsync(step, StepStatus.Failed, diagnostic.Message, progress.Serialize());
            return false;
        }

        if (pending.Count > 0)
        {
            var diagnostic = Diagnose.ExchangeSkippedItemsAwaitApproval(_migration.Location,
                spec.Name, string.Join("; ", pending.Select(u => u.Describe())),
                    hint: "review the skipped items ('migrate status', or Get-MigrationUserStatistics -IncludeSkippedItems) and commit an approval under the migration's exchange.skippedItemApprovals (mailbox, maxSkippedItems, approvedBy); the next apply approves it");
            diagnostics.Add(diagnostic);
            // Recorded as failed with the reason: 'plan' shows the step as a change a reviewer must decide on.
            await context.SaveStepAsync(step, StepStatus.Failed, "awaiting skipped-item approval: " + string.Join("; ", pending.Select(u => u.Describe())), progress.Serialize());
            return false;
        }

        return true;
    }
}
