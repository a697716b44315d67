using MigrationEngine.Core.State;

namespace MigrationEngine.State.Postgres.Tests;

/// <summary>What only PostgreSQL has: server-side lock release, a schema version table, URLs with passwords.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Server")]
public sealed class PostgresStateStoreTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await cluster.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_lock_is_released_by_the_server_when_the_holders_connection_dies()
    {
        await using var holder = await PostgresStateStore.OpenAsync(cluster.Url(_database), None);
        await using var other = await PostgresStateStore.OpenAsync(cluster.Url(_database), None);
        await holder.AcquireLockAsync("plan", "apply", None);
        await Assert.ThrowsAsync<PlanLockedException>(() => other.AcquireLockAsync("plan", "apply", None));

        // What a killed process or a dropped network looks like to the server: the holder's session ends.
        var key = PostgresStateStore.LockKey("plan");
        var killed = await cluster.ScalarAsync(_database, $"""
            SELECT count(pg_terminate_backend(pid)) FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND classid::bigint = {(long)((ulong)key >> 32)} AND objid::bigint = {(long)((ulong)key & 0xFFFFFFFF)}
            """);
        Assert.Equal(1L, killed);
        await WaitUntilAsync(async () => await other.GetLockOwnerAsync("plan", None) is null);

        await using var taken = await other.AcquireLockAsync("plan", "apply after crash", None);
        Assert.Equal("apply after crash", (await holder.GetLockOwnerAsync("plan", None))?.Command);
    }

    [Fact]
    public async Task The_schema_version_is_recorded_and_a_newer_database_is_refused_unchanged()
    {
        await using (var store = await PostgresStateStore.OpenAsync(cluster.Url(_database), None))
        {
            Assert.Equal(PostgresStateStore.SchemaVersion, await store.GetSchemaVersionAsync(None));
        }

        await cluster.ScalarAsync(_database, "INSERT INTO migration_engine.schema_version (version, description) VALUES (99, 'from the future')");

        var refused = await Assert.ThrowsAsync<StateStoreException>(() => PostgresStateStore.OpenAsync(cluster.Url(_database), None));
        Assert.Contains($"schema version 99, newer than this build supports ({PostgresStateStore.SchemaVersion})", refused.Message, StringComparison.Ordinal);
        Assert.Equal(99, await cluster.ScalarAsync(_database, "SELECT max(version) FROM migration_engine.schema_version"));
    }

    [Fact]
    public async Task Upgrades_run_step_by_step_and_concurrent_openers_apply_each_step_once()
    {
        PostgresSchemaMigration[] migrations =
        [
            .. PostgresSchema.Migrations,
            new(PostgresStateStore.SchemaVersion + 1, "add a note column", "ALTER TABLE migration_engine.runs ADD COLUMN note text;"),
        ];

        await using (await PostgresStateStore.OpenAsync(cluster.Url(_database), None))
        {
            // The current version, as an older build leaves it.
        }

        var opens = Enumerable.Range(0, 4).Select(_ => PostgresStateStore.OpenAsync(cluster.Url(_database), migrations, PostgresStateStore.SchemaVersion + 1, None)).ToList();
        foreach (var store in await Task.WhenAll(opens))
        {
            await store.DisposeAsync();
        }

        Assert.Equal((long)PostgresStateStore.SchemaVersion + 1, await cluster.ScalarAsync(_database, "SELECT count(*) FROM migration_engine.schema_version"));
        Assert.Equal(PostgresStateStore.SchemaVersion + 1, await cluster.ScalarAsync(_database, "SELECT max(version) FROM migration_engine.schema_version"));
        Assert.Equal(1L, await cluster.ScalarAsync(_database, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'migration_engine' AND table_name = 'runs' AND column_name = 'note'"));
    }

    [Fact]
    public async Task A_password_in_the_url_is_used_but_never_shown()
    {
        const string Password = "Sup3r-S3cret-Pw";
        await using var store = await PostgresStateStore.OpenAsync($"postgresql://postgres:{Password}@127.0.0.1:{cluster.Port}/{_database}?sslmode=disable", None);

        var unreachable = await Assert.ThrowsAsync<StateStoreException>(() => PostgresStateStore.OpenAsync($"postgres://postgres:{Password}@127.0.0.1:1/{_database}?connect_timeout=2", None));
        var missing = await Assert.ThrowsAsync<StateStoreException>(() => PostgresStateStore.OpenAsync($"postgres://postgres:{Password}@127.0.0.1:{cluster.Port}/no_such_db", None));

        Assert.Equal($"postgres://postgres@127.0.0.1:{cluster.Port}/{_database}", store.Location);
        Assert.Contains($"state database 'postgres://postgres@127.0.0.1:1/{_database}' cannot be reached", unreachable.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, unreachable.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, missing.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://ann@db.example.test/state", "postgres://ann@db.example.test:5432/state")]
    [InlineData("postgresql://ann:pw@db.example.test:6543/state?sslmode=require", "postgres://ann@db.example.test:6543/state")]
    [InlineData("Host=db.example.test;Port=5433;Username=ann;Password=pw;Database=state", "postgres://ann@db.example.test:5433/state")]
    public void Locations_parse_to_a_display_without_password(string input, string display)
    {
        var location = PostgresLocation.Parse(input);

        Assert.True(PostgresLocation.IsPostgres(input));
        Assert.Equal(display, location.Display);
        Assert.DoesNotContain("pw", location.Display, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".migrate/state.db")]
    [InlineData("/var/lib/migrate/state.db")]
    [InlineData("C:\\state\\host=1.db")]
    public void File_paths_are_not_postgres(string path) => Assert.False(PostgresLocation.IsPostgres(path));

    [Fact]
    public void A_malformed_url_is_a_state_error_without_the_password()
    {
        var error = Assert.Throws<StateStoreException>(() => PostgresLocation.Parse("postgres://ann:pw0rd@db.example.test:5432/state?sslmode=sometimes"));

        Assert.Contains("sslmode", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw0rd", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("the condition did not become true within 5 seconds");
    }
}
