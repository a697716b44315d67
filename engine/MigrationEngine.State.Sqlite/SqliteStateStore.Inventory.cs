using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite;

/// <summary>The source inventory (see <see cref="IInventoryStore"/>): one row per mailbox, replaced by each inventory.</summary>
public sealed partial class SqliteStateStore : IInventoryStore
{
    public Task SaveInventoryAsync(string planName, IReadOnlyList<InventoryRecord> records, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = Command(connection, transaction, """
                INSERT INTO inventory (plan, migration, mailbox, recorded_at, inventory_json) VALUES ($plan, $migration, $mailbox, $recorded, $json)
                ON CONFLICT (plan, migration, mailbox) DO UPDATE SET recorded_at = excluded.recorded_at, inventory_json = excluded.inventory_json
                """);
            var parameters = AddParameters(command, "$plan", "$migration", "$mailbox", "$recorded", "$json");
            foreach (var record in records)
            {
                parameters[0].Value = planName;
                parameters[1].Value = record.Migration;
                parameters[2].Value = record.Mailbox;
                parameters[3].Value = FormatTime(record.RecordedAt);
                parameters[4].Value = record.Json;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return 0;
        }, cancellationToken);

    public Task<IReadOnlyList<InventoryRecord>> GetInventoryAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<InventoryRecord>>(connection =>
        {
            using var command = Command(connection, null, "SELECT migration, mailbox, recorded_at, inventory_json FROM inventory WHERE plan = $plan ORDER BY migration, mailbox", ("$plan", planName));
            using var reader = command.ExecuteReader();
            var records = new List<InventoryRecord>();
            while (reader.Read())
            {
                TryParseTime(reader.GetString(2), out var recorded);
                records.Add(new InventoryRecord(reader.GetString(0), reader.GetString(1), recorded, reader.GetString(3)));
            }

            return records;
        }, cancellationToken);
}
