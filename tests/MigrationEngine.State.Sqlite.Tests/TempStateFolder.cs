using Microsoft.Data.Sqlite;
using MigrationEngine.Core.State;
using MigrationEngine.TestSupport;

namespace MigrationEngine.State.Sqlite.Tests;

/// <summary>A private temp folder holding a state database; removed when the test ends.</summary>
internal sealed class TempStateFolder : IDisposable
{
    private readonly TempDirectory _folder = new("me-state-tests");

    public TempStateFolder()
    {
        DatabasePath = Path.Combine(FolderPath, "state", "migration.db");
    }

    public string FolderPath => _folder.Path;

    public string DatabasePath { get; }

    public Task<SqliteStateStore> OpenAsync() => SqliteStateStore.OpenAsync(DatabasePath, CancellationToken.None);

    /// <summary>Runs SQL on the file with a separate plain connection, as another tool or an older engine would.</summary>
    public void RawExecute(string sql, params (string Name, object Value)[] parameters) => RawExecute(DatabasePath, sql, parameters);

    public static void RawExecute(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    public object? RawScalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose() => _folder.Dispose();

    public static LedgerEntry Entry(string sourceId, long validity = 7, string folder = "INBOX", string mailbox = "ann@example.test", string migration = "mail", string outcome = "copied") =>
        new()
        {
            Migration = migration,
            Mailbox = mailbox,
            Folder = folder,
            FolderValidity = validity,
            SourceId = sourceId,
            MessageId = $"<{sourceId}.{validity}@example.test>",
            DedupKey = $"id:{sourceId}.{validity}@example.test",
            Sha256 = outcome == "copied" ? new string('a', 64) : null,
            Size = 1000,
            TargetFolder = "Inbox",
            TargetId = "t-" + sourceId,
            Outcome = outcome,
            RecordedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234567),
            RunId = 1,
        };
}
