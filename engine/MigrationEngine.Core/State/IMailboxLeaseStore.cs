
namespace MigrationEngine.Core.State;

/// <summary>
/// Per-mailbox leases: what lets several applies of one plan (on one machine or many) share its mailboxes, never two on
/// the same one. Implemented by both state stores.
/// </summary>
public interface IMailboxLeaseStore
{
    /// <summary>
    /// Takes the mailbox's lease when it is free or its holder is gone (dead on this host, expired, or the row damaged), with
    /// a new fencing token; otherwise returns the live holder's lease. Atomic against other processes.
    /// </summary>
    Task<LeaseClaim> TryAcquireMailboxLeaseAsync(string planName, string migration, string mailbox, LeaseIdentity holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Heartbeat: moves the expiry on; false when the lease is no longer this token's (broken or taken over).</summary>
    Task<bool> RenewMailboxLeaseAsync(string planName, MailboxLease lease, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up; does nothing when it is no longer this token's.</summary>
    Task ReleaseMailboxLeaseAsync(string planName, MailboxLease lease, CancellationToken cancellationToken);

    /// <summary>The leases currently held (released ones are not listed), damaged rows included.</summary>
    Task<IReadOnlyList<MailboxLease>> GetMailboxLeasesAsync(string planName, CancellationToken cancellationToken);

    /// <summary>Removes a lease (a damaged row whatever its token); its holder's next ledger write is refused.</summary>
    Task<bool> BreakMailboxLeaseAsync(string planName, string migration, string mailbox, CancellationToken cancellationToken);

    /// <summary>
    /// Records ledger entries only while <paramref name="fence"/> still holds the mailbox, checked in the same transaction;
    /// throws <see cref="LeaseLostException"/> (writing nothing) otherwise.
    /// </summary>
    Task RecordMessagesAsync(string planName, IReadOnlyList<LedgerEntry> entries, MailboxLease fence, CancellationToken cancellationToken);
}
