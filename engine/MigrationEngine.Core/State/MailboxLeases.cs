using System.Globalization;

namespace MigrationEngine.Core.State;

/// <summary>
/// A claim on one mailbox of a plan: who runs it (host, pid and the process's start time, so a reused pid is not
/// mistaken for the holder), since when, until when unless renewed, and the fencing token that every ledger write of the
/// holder carries. A row the store could not read is kept with <see cref="Damaged"/> set, so that status shows it and
/// unlock can remove it.
/// </summary>
public sealed record MailboxLease(
    string Migration,
    string Mailbox,
    string Host,
    int ProcessId,
    string? ProcessStart,
    string? Command,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset ExpiresAt,
    long Token,
    string? Damaged = null)
{
    public override string ToString() => Damaged is not null
        ? $"a damaged lease row ({Damaged})"
        : string.Create(CultureInfo.InvariantCulture, $"{Host} pid {ProcessId} since {StartedAt:u}, expires {ExpiresAt:u}") + (Command is null ? string.Empty : $" ({Command})");
}

/// <summary>Whether a lease's holder can still be working on the mailbox.</summary>
public enum LeaseHolderState
{
    /// <summary>Unexpired, and (on this host) the process still runs; or on another host, where only the expiry tells.</summary>
    Live,

    /// <summary>Not renewed in time: its holder hung, lost the store, or died on another host.</summary>
    Expired,

    /// <summary>The holding process is gone from this host (or its pid now belongs to another process).</summary>
    Dead,

    /// <summary>The row could not be read; nobody can hold it.</summary>
    Damaged,
}

/// <summary>
/// <para>The outcome of a claim: the lease taken (and the lease of a gone holder it replaced, if any), or the lease of the
/// live holder that has the mailbox.</para>
/// <para><see cref="LastActivity"/> is when the mailbox's previous holder last renewed or released it: an apply whose step
/// records are older reads them again, since another apply may have run the mailbox meanwhile.</para>
/// </summary>
public sealed record LeaseClaim(MailboxLease? Acquired, MailboxLease? HeldBy, MailboxLease? Replaced, DateTimeOffset? LastActivity = null);

/// <summary>A ledger write carried a fencing token that no longer holds the mailbox: its lease was broken or taken over.</summary>
public sealed class LeaseLostException(string migration, string mailbox, string reason)
    : Exception($"the lease of mailbox {mailbox} (migration {migration}) was lost: {reason}")
{
    public string Migration { get; } = migration;
    public string Mailbox { get; } = mailbox;
    public string Reason { get; } = reason;
}

/// <summary>Who this process is, as a lease holder: host, pid and the process's start time.</summary>
public sealed record LeaseIdentity(string Host, int ProcessId, string? ProcessStart, string Command)
{
    public static LeaseIdentity Current(string command) =>
        new(Environment.MachineName, ProcessIdentity.CurrentProcessId, ProcessIdentity.CurrentStartMarker, command);
}

/// <summary>The one rule for when a lease may be taken over or broken, used by both stores, apply, status and unlock.</summary>
public static class LeaseRules
{
    public static LeaseHolderState StateOf(MailboxLease lease, DateTimeOffset now)
    {
        if (lease.Damaged is not null)
        {
            return LeaseHolderState.Damaged;
        }

        if (string.Equals(lease.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            && !ProcessIdentity.IsAlive(lease.ProcessId, lease.ProcessStart))
        {
            return LeaseHolderState.Dead;
        }

        return lease.ExpiresAt <= now ? LeaseHolderState.Expired : LeaseHolderState.Live;
    }

    public static string Describe(LeaseHolderState state) => state switch
    {
        LeaseHolderState.Live => "live",
        LeaseHolderState.Expired => "expired",
        LeaseHolderState.Dead => "holder gone",
        _ => "damaged",
    };
}

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
