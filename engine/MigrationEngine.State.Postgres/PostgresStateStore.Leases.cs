using MigrationEngine.Core.State;
using Npgsql;

namespace MigrationEngine.State.Postgres;

/// <summary>
/// Per-mailbox leases. A row stays once made (its token only grows); a free lease has no host. Claims lock the row
/// (<c>FOR UPDATE</c>) and ledger writes check their token under <c>FOR SHARE</c> in their own transaction, so a break or a
/// takeover waits for a batch being recorded, and a batch after it is refused. Whatever takes a lease row and rows of its
/// history (claim, release, break) takes the lease row first, so two of them never wait for each other in a circle.
/// </summary>
public sealed partial class PostgresStateStore : IMailboxLeaseStore
{
    private const string LeaseColumns = "migration, mailbox, host, pid, process_start, command, started_at, heartbeat_at, expires_at, token";

    public Task<LeaseClaim> TryAcquireMailboxLeaseAsync(string planName, string migration, string mailbox, LeaseIdentity holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        return RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var make = Command(connection, transaction,
                             "INSERT INTO migration_engine.mailbox_leases (plan, migration, mailbox, token) VALUES (@plan, @migration, @mailbox, 0) ON CONFLICT DO NOTHING",
                             ("plan", planName), ("migration", migration), ("mailbox", mailbox)))
            {
                await make.ExecuteNonQueryAsync(cancellationToken);
            }

            var existing = (await ReadLeasesAsync(connection, transaction, planName, migration, mailbox, heldOnly: false, forUpdate: true, cancellationToken)).Single();
            var now = DateTimeOffset.UtcNow;
            if (existing.Lease is { } held && LeaseRules.StateOf(held, now) == LeaseHolderState.Live)
            {
                await transaction.CommitAsync(cancellationToken);
                return new LeaseClaim(null, held, null);
            }

            var lease = new MailboxLease(migration, mailbox, holder.Host, holder.ProcessId, holder.ProcessStart, holder.Command, now, now, now + duration, existing.Token + 1);
            await using (var take = Command(connection, transaction, """
                             UPDATE migration_engine.mailbox_leases SET host = @host, pid = @pid, process_start = @start, command = @command,
                                 started_at = @now, heartbeat_at = @now, expires_at = @expires, token = @token
                             WHERE plan = @plan AND migration = @migration AND mailbox = @mailbox
                             """,
                             ("host", lease.Host), ("pid", lease.ProcessId), ("start", lease.ProcessStart), ("command", lease.Command), ("now", now),
                             ("expires", lease.ExpiresAt), ("token", lease.Token), ("plan", planName), ("migration", migration), ("mailbox", mailbox)))
            {
                await take.ExecuteNonQueryAsync(cancellationToken);
            }

            // The lease history: the holding replaced ends at the earlier of its expiry and now (its token is fenced from here on).
            await using (var history = Command(connection, transaction, """
                             UPDATE migration_engine.lease_history SET ended_at = least(coalesce(@oldExpires, @now), @now), ended = 'taken over'
                             WHERE plan = @plan AND migration = @migration AND mailbox = @mailbox AND token = @oldToken AND ended_at IS NULL;
                             INSERT INTO migration_engine.lease_history (plan, migration, mailbox, token, host, pid, acquired_at)
                             VALUES (@plan, @migration, @mailbox, @token, @host, @pid, @now) ON CONFLICT DO NOTHING;
                             """,
                             ("oldExpires", existing.Lease is { Damaged: null } old ? old.ExpiresAt : (DateTimeOffset?)null), ("now", now), ("plan", planName), ("migration", migration),
                             ("mailbox", mailbox), ("oldToken", existing.Token), ("token", lease.Token), ("host", lease.Host), ("pid", lease.ProcessId)))
            {
                await history.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return new LeaseClaim(lease, null, existing.Lease, existing.LastActivity);
        }, cancellationToken);
    }

    public Task<bool> RenewMailboxLeaseAsync(string planName, MailboxLease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return RunAsync(async connection =>
        {
            var now = DateTimeOffset.UtcNow;
            await using var command = Command(connection, null, """
                UPDATE migration_engine.mailbox_leases SET heartbeat_at = @now, expires_at = @expires
                WHERE plan = @plan AND migration = @migration AND mailbox = @mailbox AND token = @token AND host IS NOT NULL
                """,
                ("now", now), ("expires", now + duration), ("plan", planName), ("migration", lease.Migration), ("mailbox", lease.Mailbox), ("token", lease.Token));
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
    }

    public Task ReleaseMailboxLeaseAsync(string planName, MailboxLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return RunAsync(async connection =>
        {
            // The lease row first, then its history, as a claim takes them: in the other order a release and a takeover
            // of the same mailbox each held what the other waited for (a deadlock PostgreSQL broke by failing one).
            await using var command = Command(connection, null, """
                WITH released AS (
                    UPDATE migration_engine.mailbox_leases SET host = NULL, heartbeat_at = now()
                    WHERE plan = @plan AND migration = @migration AND mailbox = @mailbox AND token = @token AND host IS NOT NULL
                    RETURNING token)
                UPDATE migration_engine.lease_history h SET ended_at = now(), ended = 'released'
                FROM released
                WHERE h.plan = @plan AND h.migration = @migration AND h.mailbox = @mailbox AND h.token = released.token AND h.ended_at IS NULL
                """,
                ("plan", planName), ("migration", lease.Migration), ("mailbox", lease.Mailbox), ("token", lease.Token));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<MailboxLease>> GetMailboxLeasesAsync(string planName, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<MailboxLease>>(
            async connection => (await ReadLeasesAsync(connection, null, planName, null, null, heldOnly: true, forUpdate: false, cancellationToken)).Select(row => row.Lease!).ToList(),
            cancellationToken);

    public Task<bool> BreakMailboxLeaseAsync(string planName, string migration, string mailbox, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            // The holder goes, the token stays: the old holder's next write finds no holder and is refused. One statement,
            // the lease row before its history (the order of a claim and a release).
            await using var command = Command(connection, null, """
                WITH broken AS (
                    UPDATE migration_engine.mailbox_leases SET host = NULL, heartbeat_at = now()
                    WHERE plan = @plan AND migration = @migration AND mailbox = @mailbox AND host IS NOT NULL
                    RETURNING token),
                history AS (
                    UPDATE migration_engine.lease_history h SET ended_at = now(), ended = 'broken'
                    FROM broken
                    WHERE h.plan = @plan AND h.migration = @migration AND h.mailbox = @mailbox AND h.token = broken.token AND h.ended_at IS NULL)
                SELECT count(*) FROM broken
                """,
                ("plan", planName), ("migration", migration), ("mailbox", mailbox));
            return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
        }, cancellationToken);

    public Task RecordMessagesAsync(string planName, IReadOnlyList<LedgerEntry> entries, MailboxLease fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fence);
        return RecordMessagesCheckedAsync(planName, entries, async (connection, transaction) =>
        {
            await using var check = Command(connection, transaction, """
                SELECT 1 FROM migration_engine.mailbox_leases
                WHERE plan = @plan AND migration = @migration AND mailbox = @mailbox AND token = @token AND host IS NOT NULL FOR SHARE
                """,
                ("plan", planName), ("migration", fence.Migration), ("mailbox", fence.Mailbox), ("token", fence.Token));
            if (await check.ExecuteScalarAsync(cancellationToken) is null)
            {
                throw new LeaseLostException(fence.Migration, fence.Mailbox, "it was broken (migrate unlock --force) or taken over after it expired; nothing more was recorded");
            }
        }, cancellationToken);
    }

    /// <summary>A row as stored: the lease when someone holds it (or a damaged row), and the token to continue from.</summary>
    private sealed record LeaseRow(MailboxLease? Lease, long Token, DateTimeOffset? LastActivity);

    private static async Task<List<LeaseRow>> ReadLeasesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string planName, string? migration, string? mailbox,
        bool heldOnly, bool forUpdate, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {LeaseColumns} FROM migration_engine.mailbox_leases WHERE plan = @plan"
            + (migration is null ? string.Empty : " AND migration = @migration AND mailbox = @mailbox")
            + (heldOnly ? " AND host IS NOT NULL" : string.Empty)
            + " ORDER BY migration, mailbox"
            + (forUpdate ? " FOR UPDATE" : string.Empty);
        await using var command = Command(connection, transaction, sql, ("plan", planName), ("migration", migration ?? string.Empty), ("mailbox", mailbox ?? string.Empty));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<LeaseRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var token = reader.GetInt64(9);
            DateTimeOffset? lastActivity = null;
            try
            {
                lastActivity = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7);
            }
            catch (InvalidCastException)
            {
                // An infinite time: no activity to compare with.
            }

            if (reader.IsDBNull(2))
            {
                rows.Add(new LeaseRow(null, token, lastActivity));
                continue;
            }

            try
            {
                rows.Add(new LeaseRow(new MailboxLease(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8), token), token, lastActivity));
            }
            catch (Exception ex) when (ex is InvalidCastException or OverflowException or InvalidOperationException)
            {
                // A hand-edited row (a null time, an infinite date): shown as damaged, taken over by apply, removed by unlock.
                rows.Add(new LeaseRow(new MailboxLease(reader.GetString(0), reader.GetString(1), "?", 0, null, null, default, default, default, token, ex.Message), token, lastActivity));
            }
        }

        return rows;
    }
}
