using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite.Tests;

[Trait("Category", "Unit")]
public sealed class SchemaAndCorruptionTests : IDisposable
{
    private readonly TempStateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task An_empty_version_zero_database_is_upgraded_to_the_current_schema()
    {
        // What an interrupted first open or an older engine leaves behind: a SQLite file with no schema yet.
        _folder.RawExecute("PRAGMA user_version = 0; VACUUM;");
        Assert.Equal(0L, _folder.RawScalar("PRAGMA user_version"));

        await using (var store = await _folder.OpenAsync())
        {
            await store.RecordMessagesAsync("plan", [TempStateFolder.Entry("1")], CancellationToken.None);
        }

        Assert.Equal((long)SqliteStateStore.SchemaVersion, _folder.RawScalar("PRAGMA user_version"));
        Assert.Equal(1L, _folder.RawScalar("SELECT count(*) FROM ledger"));
    }

    [Fact]
    public async Task A_zero_byte_file_is_treated_as_new()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_folder.DatabasePath)!);
        await File.WriteAllBytesAsync(_folder.DatabasePath, []);

        await using var store = await _folder.OpenAsync();

        Assert.Equal(StateHash.Empty, await store.GetStateHashAsync("plan", CancellationToken.None));
    }

    [Fact]
    public async Task Migrations_are_applied_one_version_at_a_time_and_data_is_kept()
    {
        await using (var store = await _folder.OpenAsync())
        {
            await store.RecordMessagesAsync("plan", [TempStateFolder.Entry("1")], CancellationToken.None);
        }

        SchemaMigration[] migrations =
        [
            .. SchemaMigrator.Migrations,
            new(SqliteStateStore.SchemaVersion + 1, "add notes", "CREATE TABLE notes (text TEXT NOT NULL); INSERT INTO notes VALUES ('v2');"),
            new(SqliteStateStore.SchemaVersion + 2, "uses what v2 made", "ALTER TABLE notes ADD COLUMN author TEXT; UPDATE notes SET author = 'v3';"),
        ];
        await using (var upgraded = await SqliteStateStore.OpenAsync(_folder.DatabasePath, migrations, SqliteStateStore.SchemaVersion + 2, CancellationToken.None))
        {
            Assert.Single(await upgraded.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", CancellationToken.None));
        }

        Assert.Equal((long)SqliteStateStore.SchemaVersion + 2, _folder.RawScalar("PRAGMA user_version"));
        Assert.Equal("v2/v3", _folder.RawScalar("SELECT text || '/' || author FROM notes"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_file_at_the_previous_version()
    {
        await using (await _folder.OpenAsync())
        {
        }

        SchemaMigration[] migrations =
        [
            .. SchemaMigrator.Migrations,
            new(SqliteStateStore.SchemaVersion + 1, "half done", "CREATE TABLE notes (text TEXT); INSERT INTO no_such_table VALUES (1);"),
        ];
        var error = await Assert.ThrowsAsync<StateStoreException>(() => SqliteStateStore.OpenAsync(_folder.DatabasePath, migrations, SqliteStateStore.SchemaVersion + 1, CancellationToken.None));

        Assert.Contains(_folder.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains($"from schema version {SqliteStateStore.SchemaVersion} to {SqliteStateStore.SchemaVersion + 1}", error.Message, StringComparison.Ordinal);
        Assert.Equal((long)SqliteStateStore.SchemaVersion, _folder.RawScalar("PRAGMA user_version"));
        Assert.Equal(0L, _folder.RawScalar("SELECT count(*) FROM sqlite_schema WHERE name = 'notes'"));
        await using var store = await _folder.OpenAsync();
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_rejected_with_the_file_and_versions()
    {
        await using (await _folder.OpenAsync())
        {
        }

        _folder.RawExecute($"PRAGMA user_version = {SqliteStateStore.SchemaVersion + 1}");

        var error = await Assert.ThrowsAsync<StateStoreException>(_folder.OpenAsync);

        Assert.Contains(_folder.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {SqliteStateStore.SchemaVersion + 1}, newer than this build supports ({SqliteStateStore.SchemaVersion})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_of_another_application_is_rejected_and_left_alone()
    {
        _folder.RawExecute("CREATE TABLE customers (id INTEGER PRIMARY KEY)");

        var error = await Assert.ThrowsAsync<StateStoreException>(_folder.OpenAsync);

        Assert.Contains(_folder.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("another application", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, _folder.RawScalar("SELECT count(*) FROM sqlite_schema WHERE name = 'ledger'"));
    }

    [Fact]
    public async Task A_file_of_random_bytes_is_reported_with_its_path_and_what_to_do()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_folder.DatabasePath)!);
        var bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(_folder.DatabasePath, bytes);

        var error = await Assert.ThrowsAsync<StateStoreException>(_folder.OpenAsync);

        Assert.Contains(_folder.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Contains("Move the file away", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_folder.DatabasePath));
    }

    [Fact]
    public async Task A_truncated_file_is_reported_with_its_path()
    {
        await FillAndCloseAsync();
        var length = new FileInfo(_folder.DatabasePath).Length;
        await using (var stream = new FileStream(_folder.DatabasePath, FileMode.Open))
        {
            stream.SetLength(length / 2);
        }

        var error = await Assert.ThrowsAsync<StateStoreException>(_folder.OpenAsync);

        Assert.Contains(_folder.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_cut_inside_its_header_is_reported()
    {
        await FillAndCloseAsync();
        await using (var stream = new FileStream(_folder.DatabasePath, FileMode.Open))
        {
            stream.SetLength(60);
        }

        var error = await Assert.ThrowsAsync<StateStoreException>(_folder.OpenAsync);

        Assert.Contains(_folder.DatabasePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_damaged_inside_the_file_surface_as_a_state_store_error_not_a_sqlite_one()
    {
        await FillAndCloseAsync();
        var length = new FileInfo(_folder.DatabasePath).Length;
        await using (var stream = new FileStream(_folder.DatabasePath, FileMode.Open))
        {
            // Keep the header and schema page, scramble everything after: the damage is only met when data is read.
            var garbage = new byte[length - 8192];
            new Random(3).NextBytes(garbage);
            stream.Position = 8192;
            await stream.WriteAsync(garbage);
        }

        var error = await Assert.ThrowsAsync<StateStoreException>(async () =>
        {
            await using var store = await _folder.OpenAsync();
            await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", CancellationToken.None);
        });

        Assert.Contains(_folder.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task A_sound_file_passes_the_integrity_check()
    {
        await FillAndCloseAsync();
        await using var store = await _folder.OpenAsync();

        Assert.Empty(await store.CheckIntegrityAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_folder_given_as_the_database_path_is_reported()
    {
        var folderPath = Path.Combine(_folder.FolderPath, "a-folder");
        Directory.CreateDirectory(folderPath);

        var error = await Assert.ThrowsAsync<StateStoreException>(() => SqliteStateStore.OpenAsync(folderPath, CancellationToken.None));

        Assert.Contains(folderPath, error.Message, StringComparison.Ordinal);
    }

    private async Task FillAndCloseAsync()
    {
        await using var store = await _folder.OpenAsync();
        for (var batch = 0; batch < 20; batch++)
        {
            var entries = Enumerable.Range(batch * 100, 100)
                .Select(i => TempStateFolder.Entry(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .ToList();
            await store.RecordMessagesAsync("plan", entries, CancellationToken.None);
        }
    }
}
