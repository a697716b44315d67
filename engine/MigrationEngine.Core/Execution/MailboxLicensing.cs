using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Licenses mailboxes that a migration service created (cutover and staged batches create them, Google Workspace batches turn mail users
/// into mailboxes): "If you don't assign a license, the mailbox is disabled when the grace period ends (30 days)."
/// https://learn.microsoft.com/exchange/mailbox-migration/cutover-migration-to-office-365. The target's <c>provision.licenses</c> (and
/// <c>usageLocation</c>) say which; a user who has them already is left alone.
/// </summary>
public interface IMailboxLicensing
{
    /// <summary>Assigns the target's licences each user lacks; returns how many users changed. Throws <see cref="MigrationException"/> for a user or service error.</summary>
    Task<int> LicenseAsync(PlanModel plan, EndpointDefinition target, IReadOnlyList<MailboxEntry> mailboxes, CancellationToken cancellationToken);
}
