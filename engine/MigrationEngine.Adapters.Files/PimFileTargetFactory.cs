using MigrationEngine.Core.Checking;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files;

/// <summary>
/// <c>migrate check</c> for ics-vcf targets (and a Maildir target's contacts and calendars): whether the mailbox folder is
/// there, without creating it or its owner marker as opening the target would.
/// </summary>
public sealed partial class PimFileTargetFactory : IMailboxProbe
{
    public Task<ProbeResult> ProbeAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = PimFileSourceFactory.MailboxRoot(context);
        return Task.FromResult(Directory.Exists(root) ? ProbeResult.Ok : new ProbeResult(ProbeOutcome.CreatedByApply));
    }
}
