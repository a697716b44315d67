using System.Globalization;
using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite;

/// <summary>Plan revisions (kept by triggers, schema version 3) and status snapshots (see <see cref="IStatusSnapshotStore"/>).</summary>
public sealed partial class SqliteStateStore : IStatusSnapshotStore
{
    public Task<long> GetRevisionAsync(string planName, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var command = Command(connection, null, "SELECT revision FROM plan_revisions WHERE plan = $plan", ("$plan", planName));
            return command.ExecuteScalar() is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0L;
        }, cancellationToken);

    public Task SaveStatusSnapshotAsync(string planFile, string planName, long revision, byte[] document, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            using var command = Command(connection, null, """
                INSERT INTO status_snapshots (plan_file, plan, revision, taken_at, document) VALUES ($file, $plan, $revision, $taken, $document)
                ON CONFLICT (plan_file) DO UPDATE SET plan = excluded.plan, revision = excluded.revision, taken_at = excluded.taken_at, document = excluded.document
                """,
                ("$file", planFile), ("$plan", planName), ("$revision", revision), ("$taken", FormatTime(DateTimeOffset.UtcNow)), ("$document", document));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<byte[]?> FindStatusSnapshotAsync(string planFile, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var command = Command(connection, null, "SELECT document FROM status_snapshots WHERE plan_file = $file", ("$file", planFile));
            return command.ExecuteScalar() as byte[];
        }, cancellationToken);
}
