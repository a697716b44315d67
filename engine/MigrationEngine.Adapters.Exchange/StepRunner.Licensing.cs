using System.Text.Json.Nodes;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>
/// Cutover and staged batches create the mailboxes, Google Workspace batches turn mail users into mailboxes; they must be licensed: "If you
/// don't assign a license, the mailbox is disabled when the grace period ends (30 days)"
/// (https://learn.microsoft.com/exchange/mailbox-migration/cutover-migration-to-office-365; the Google Workspace article: "You have 30 days to
/// assign the license"). Once a batch has synced, the target's provision.licenses are assigned to its users that lack them, as the engine
/// path does for the users it creates.
/// </summary>
internal sealed partial class StepRunner
{
    private async Task<bool> LicenseAsync(Step step, BatchSpec spec, BatchProgress final, CancellationToken cancellationToken)
    {
        if (_migration.Type is not (MigrationType.Cutover or MigrationType.Staged or MigrationType.Gworkspace)
            || !context.Plan.Targets.TryGetValue(_migration.To, out var target) || target.Provision is not { Licenses.Count: > 0 })
        {
            return true;
        }

        if (licensing is null)
        {
            context.Logger.Warning("Migration {Migration}: no licensing service is configured; the users of batch {Batch} are not licensed", _migration.Name, spec.Name);
            return true;
        }

        var members = spec.Users.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var mailboxes = PlanCompiler.MailboxesOf(context.Plan, _migration)
            .Where(m => _migration.Type == MigrationType.Cutover || members.Contains(m.TargetAddress.Trim()))
            .ToList();
        var licensed = await licensing.LicenseAsync(context.Plan, target, mailboxes, cancellationToken);
        var result = (JsonObject)final.Json.DeepClone();
        result["licensed_users"] = licensed;
        await context.SaveStepAsync(step, StepStatus.Succeeded, null, result.ToJsonString());
        return true;
    }
}
