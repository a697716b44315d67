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
