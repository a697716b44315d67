using MigrationEngine.Core.State;

namespace MigrationEngine.State.Postgres;

/// <summary>The source inventory (see <see cref="IInventoryStore"/>): one row per mailbox, replaced by each inventory.</summary>
public sealed partial class PostgresStateStore : IInventoryStore
{
    public Task SaveInventoryAsync(string planName, IReadOnlyList<InventoryRecord> records, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var record in records)
            {
                await using var command = Command(connection, transaction, """
                    INSERT INTO migration_engine.inventory (plan, migration, mailbox, recorded_at, inventory_json) VALUES (@plan, @migration, @mailbox, @recorded, @json)
                    ON CONFLICT (plan, migration, mailbox) DO UPDATE SET recorded_at = excluded.recorded_at, inventory_json = excluded.inventory_json
                    """, ("plan", planName), ("migration", record.Migration), ("mailbox", record.Mailbox), ("recorded", record.RecordedAt.ToUniversalTime()), ("json", record.Json));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public Task<IReadOnlyList<InventoryRecord>> GetInventoryAsync(string planName, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<InventoryRecord>>(async connection =>
        {
            await using var command = Command(connection, null,
                "SELECT migration, mailbox, recorded_at, inventory_json FROM migration_engine.inventory WHERE plan = @plan ORDER BY migration, mailbox", ("plan", planName));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var records = new List<InventoryRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(new InventoryRecord(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3)));
            }

            return records;
        }, cancellationToken);
}
