using System.Globalization;
using Microsoft.Data.Sqlite;
using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite;

/// <summary>
/// Per-mailbox leases. A row stays once made (its token only grows); a free lease has no host. Every decision reads and
/// writes in one IMMEDIATE transaction, so two processes cannot both take a mailbox.
/// </summary>
public sealed partial class SqliteStateStore : IMailboxLeaseStore
{
    private const string LeaseColumns = "migration, mailbox, host, pid, process_start, command, started_at, heartbeat_at, expires_at, token";

    public Task<LeaseClaim> TryAcquireMailboxLeaseAsync(string planName, string migration, string mailbox, LeaseIdentity holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        // In the queue's IMMEDIATE transaction (shared with the writes queued beside it): read and write are one decision.
        return WriteSharingCommitAsync((connection, transaction) =>
        {
            var now = DateTimeOffset.UtcNow;
            var existing = ReadLeases(connection, transaction, planName, migration, mailbox, heldOnly: false).FirstOrDefault();
            if (existing is { Lease: { } held } && LeaseRules.StateOf(held, now) == LeaseHolderState.Live)
            {
                return new LeaseClaim(null, held, null);
            }

            var lease = new MailboxLease(migration, mailbox, holder.Host, holder.ProcessId, holder.ProcessStart, holder.Command, now, now, now + duration,
                (existing?.Token ?? 0) + 1);
            ExecutePrepared(connection, transaction, $"""
                INSERT INTO mailbox_leases (plan, {LeaseColumns})
                VALUES ($plan, $migration, $mailbox, $host, $pid, $start, $command, $now, $now, $expires, $token)
                ON CONFLICT (plan, migration, mailbox) DO UPDATE SET
                    host = excluded.host, pid = excluded.pid, process_start = excluded.process_start, command = excluded.command,
                    started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at, token = excluded.token
                """,
                ("$plan", planName), ("$migration", migration), ("$mailbox", mailbox), ("$host", lease.Host), ("$pid", lease.ProcessId),
                ("$start", lease.ProcessStart), ("$command", lease.Command), ("$now", FormatTime(now)), ("$expires", FormatTime(lease.ExpiresAt)), ("$token", lease.Token));
            return new LeaseClaim(lease, null, existing?.Lease, existing?.LastActivity);
        }, cancellationToken);
    }

    public Task<bool> RenewMailboxLeaseAsync(string planName, MailboxLease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = DateTimeOffset.UtcNow;
        return WriteSharingCommitAsync((connection, transaction) => Execute(connection, transaction,
                "UPDATE mailbox_leases SET heartbeat_at = $now, expires_at = $expires WHERE plan = $plan AND migration = $migration AND mailbox = $mailbox AND token = $token AND host IS NOT NULL",
                ("$now", FormatTime(now)), ("$expires", FormatTime(now + duration)), ("$plan", planName), ("$migration", lease.Migration), ("$mailbox", lease.Mailbox), ("$token", lease.Token)) == 1,
            cancellationToken);
    }

    public Task ReleaseMailboxLeaseAsync(string planName, MailboxLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return WriteSharingCommitAsync((connection, transaction) => ExecutePrepared(connection, transaction,
                "UPDATE mailbox_leases SET host = NULL, heartbeat_at = $now WHERE plan = $plan AND migration = $migration AND mailbox = $mailbox AND token = $token",
                ("$now", FormatTime(DateTimeOffset.UtcNow)), ("$plan", planName), ("$migration", lease.Migration), ("$mailbox", lease.Mailbox), ("$token", lease.Token)),
            cancellationToken);
    }

    public Task<IReadOnlyList<MailboxLease>> GetMailboxLeasesAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<MailboxLease>>(
            connection => ReadLeases(connection, null, planName, null, null, heldOnly: true).Select(row => row.Lease!).ToList(),
            cancellationToken);

    public Task<bool> BreakMailboxLeaseAsync(string planName, string migration, string mailbox, CancellationToken cancellationToken) =>
        // The holder goes, the token stays (made a number again if the row was damaged): the old holder's next write finds no
        // holder and is refused, and the next claim draws a higher token.
        WriteAsync(connection => Execute(connection, null,
                "UPDATE mailbox_leases SET host = NULL, heartbeat_at = $now, token = CASE WHEN typeof(token) = 'integer' THEN token ELSE 0 END WHERE plan = $plan AND migration = $migration AND mailbox = $mailbox AND host IS NOT NULL",
                ("$now", FormatTime(DateTimeOffset.UtcNow)), ("$plan", planName), ("$migration", migration), ("$mailbox", mailbox)) > 0,
            cancellationToken);

    public Task RecordMessagesAsync(string planName, IReadOnlyList<LedgerEntry> entries, MailboxLease fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fence);
        return RecordMessagesCheckedAsync(planName, entries, (connection, transaction) =>
        {
            using var check = Statement(connection, transaction,
                "SELECT count(*) FROM mailbox_leases WHERE plan = $plan AND migration = $migration AND mailbox = $mailbox AND token = $token AND host IS NOT NULL",
                ("$plan", planName), ("$migration", fence.Migration), ("$mailbox", fence.Mailbox), ("$token", fence.Token));
            if (Convert.ToInt64(check.Command.ExecuteScalar(), CultureInfo.InvariantCulture) != 1)
            {
                throw new LeaseLostException(fence.Migration, fence.Mailbox, "it was broken (migrate unlock --force) or taken over after it expired; nothing more was recorded");
            }
        }, cancellationToken);
    }

    /// <summary>A row as stored: the lease when someone holds it (or a damaged row), and the token to continue from.</summary>
    private sealed record LeaseRow(MailboxLease? Lease, long Token, DateTimeOffset? LastActivity);

    private List<LeaseRow> ReadLeases(SqliteConnection connection, SqliteTransaction? transaction, string planName, string? migration, string? mailbox, bool heldOnly)
    {
        var sql = $"SELECT {LeaseColumns} FROM mailbox_leases WHERE plan = $plan"
            + (migration is null ? string.Empty : " AND migration = $migration AND mailbox = $mailbox")
            + (heldOnly ? " AND host IS NOT NULL" : string.Empty)
            + " ORDER BY migration, mailbox";
        using var statement = Statement(connection, transaction, sql, ("$plan", planName), ("$migration", migration), ("$mailbox", mailbox));
        using var reader = statement.Command.ExecuteReader();
        var rows = new List<LeaseRow>();
        while (reader.Read())
        {
            rows.Add(ReadLeaseRow(reader));
        }

        return rows;
    }

    /// <summary>
    /// Reads a lease row without trusting it: a value of the wrong type or an unreadable time (a damaged file, a hand edit)
    /// gives a lease marked damaged, which status shows, apply takes over and unlock removes; never an exception.
    /// </summary>
    private static LeaseRow ReadLeaseRow(SqliteDataReader reader)
    {
        var migration = reader.GetValue(0) as string ?? "?";
        var mailbox = reader.GetValue(1) as string ?? "?";
        var token = reader.GetValue(9) is long t ? t : 0;
        DateTimeOffset? lastActivity = reader.GetValue(7) is string heartbeatText && TryParseTime(heartbeatText, out var heartbeatTime) ? heartbeatTime : null;
        if (reader.IsDBNull(2))
        {
            return new LeaseRow(null, token, lastActivity);
        }

        string? Damage()
        {
            if (reader.GetValue(2) is not string)
            {
                return "host is not text";
            }

            if (reader.GetValue(3) is not long pid || pid is <= 0 or > int.MaxValue)
            {
                return "pid is not a process id";
            }

            if (reader.GetValue(9) is not long)
            {
                return "token is not a number";
            }

            foreach (var ordinal in new[] { 6, 7, 8 })
            {
                if (reader.GetValue(ordinal) is not string text || !TryParseTime(text, out _))
                {
                    return $"{reader.GetName(ordinal)} is not a time";
                }
            }

            return null;
        }

        var damage = Damage();
        if (damage is not null)
        {
            return new LeaseRow(new MailboxLease(migration, mailbox, "?", 0, null, null, default, default, default, token, damage), token, lastActivity);
        }

        TryParseTime(reader.GetString(6), out var started);
        TryParseTime(reader.GetString(7), out var heartbeat);
        TryParseTime(reader.GetString(8), out var expires);
        var lease = new MailboxLease(migration, mailbox, reader.GetString(2), (int)reader.GetInt64(3), reader.GetValue(4) as string, reader.GetValue(5) as string,
            started, heartbeat, expires, token);
        return new LeaseRow(lease, token, lastActivity);
    }

    private static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}
