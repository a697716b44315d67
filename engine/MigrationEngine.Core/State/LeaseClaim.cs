
namespace MigrationEngine.Core.State;

/// <summary>
/// <para>The outcome of a claim: the lease taken (and the lease of a gone holder it replaced, if any), or the lease of the
/// live holder that has the mailbox.</para>
/// <para><see cref="LastActivity"/> is when the mailbox's previous holder last renewed or released it: an apply whose step
/// records are older reads them again, since another apply may have run the mailbox meanwhile.</para>
/// </summary>
public sealed record LeaseClaim(MailboxLease? Acquired, MailboxLease? HeldBy, MailboxLease? Replaced, DateTimeOffset? LastActivity = null);
