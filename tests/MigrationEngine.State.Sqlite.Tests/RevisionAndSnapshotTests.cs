using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite.Tests;

/// <summary>The plan revision (kept by triggers) moves with every write status depends on, and only the plan written to.</summary>
[Trait("Category", "Unit")]
public sealed class RevisionAndSnapshotTests : IDisposable
{
    private readonly TempStateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Every_write_to_steps_ledger_and_item_events_moves_the_revision_of_its_plan_only()
    {
        await using var store = await _folder.OpenAsync();
        Assert.Equal(0, await store.GetRevisionAsync("plan", CancellationToken.None));

        var step = new StepRecord { StepId = "copy/m/ann@example.test", Kind = "copy", InputHash = "h", Status = StepStatus.Running, Attempts = 1, StartedAt = DateTimeOffset.UtcNow };
        var seen = new List<long>();
        async Task Moved(Func<Task> write)
        {
            var before = await store.GetRevisionAsync("plan", CancellationToken.None);
            await write();
            var after = await store.GetRevisionAsync("plan", CancellationToken.None);
            Assert.True(after > before, $"revision stayed at {before}");
            seen.Add(after);
        }

        await Moved(() => store.SaveStepAsync("plan", step, CancellationToken.None));
        await Moved(() => store.SaveStepAsync("plan", step with { Status = StepStatus.Succeeded, FinishedAt = DateTimeOffset.UtcNow }, CancellationToken.None));
        await Moved(() => store.RecordMessagesAsync("plan", [TempStateFolder.Entry("1")], CancellationToken.None));
        await Moved(() => store.RecordItemEventsAsync("plan", [new ItemEvent
        {
            Migration = "mail", Mailbox = "ann@example.test", Folder = "INBOX", SourceId = "4", Kind = "filtered",
            Reason = "older than 2020-01-01", Size = 10, RunId = 1, RecordedAt = DateTimeOffset.UtcNow,
        }], CancellationToken.None));
        Assert.Equal(0, await store.GetRevisionAsync("other", CancellationToken.None));

        // Another plan's writes leave this plan's revision where it is.
        var mine = await store.GetRevisionAsync("plan", CancellationToken.None);
        await store.SaveStepAsync("other", step, CancellationToken.None);
        Assert.Equal(mine, await store.GetRevisionAsync("plan", CancellationToken.None));
        Assert.True(await store.GetRevisionAsync("other", CancellationToken.None) > 0);
    }

    [Theory]
    [InlineData(4)] // the triggers before: an insert when the revision row is missing, then an update
    [InlineData(SqliteStateStore.SchemaVersion)]
    public async Task A_statement_with_its_own_conflict_policy_moves_the_revision_as_the_triggers_before_did(int version)
    {
        await using (var store = await SqliteStateStore.OpenAsync(_folder.DatabasePath, [.. SchemaMigrator.Migrations.Where(m => m.ToVersion <= version)], version, CancellationToken.None))
        {
            await store.SaveStepAsync("plan", new StepRecord { StepId = "s", Kind = "copy", InputHash = "h", Status = StepStatus.Running }, CancellationToken.None);
        }

        // A statement's OR REPLACE / OR IGNORE overrides the conflict clause of the statements its triggers run, but not an
        // upsert's DO UPDATE (what a hand-made or future writer might use; the engine's own writes use upserts).
        _folder.RawExecute("INSERT OR REPLACE INTO steps (plan, step_id, kind, input_hash, status) VALUES ('plan', 's', 'copy', 'h', 'succeeded')");
        _folder.RawExecute("""
            INSERT OR IGNORE INTO ledger (plan, migration, mailbox, folder, folder_validity, source_id, dedup_key, size, target_folder, outcome, recorded_at, run_id)
            VALUES ('plan', 'mail', 'ann@example.test', 'INBOX', 7, '1', 'k', 10, 'INBOX', 'copied', '2026-12-06T00:00:00.0000000Z', 1),
                   ('plan', 'mail', 'ann@example.test', 'INBOX', 7, '2', 'k2', 10, 'INBOX', 'copied', '2026-12-06T00:00:00.0000000Z', 1)
            """);

        // 1 for the step's insert, 1 for the replace (its delete fires no trigger without recursive triggers), 2 for the rows.
        Assert.Equal(4L, _folder.RawScalar("SELECT revision FROM plan_revisions WHERE plan = 'plan'"));
    }

    [Fact]
    public async Task A_version_4_state_keeps_its_revisions_and_moves_them_as_before_after_the_upgrade()
    {
        var step = new StepRecord { StepId = "s", Kind = "copy", InputHash = "h", Status = StepStatus.Running };
        long before;
        await using (var old = await SqliteStateStore.OpenAsync(_folder.DatabasePath, [.. SchemaMigrator.Migrations.Where(m => m.ToVersion <= 4)], 4, CancellationToken.None))
        {
            await old.SaveStepAsync("plan", step, CancellationToken.None);
            await old.RecordMessagesAsync("plan", [TempStateFolder.Entry("1"), TempStateFolder.Entry("2")], CancellationToken.None);
            before = await old.GetRevisionAsync("plan", CancellationToken.None);
        }

        Assert.Equal(3, before);
        await using var store = await _folder.OpenAsync();
        Assert.Equal(before, await store.GetRevisionAsync("plan", CancellationToken.None));
        await store.SaveStepAsync("plan", step with { Status = StepStatus.Succeeded }, CancellationToken.None);
        await store.RecordMessagesAsync("plan", [TempStateFolder.Entry("3")], CancellationToken.None);
        Assert.Equal(before + 2, await store.GetRevisionAsync("plan", CancellationToken.None));
        await store.SaveStepAsync("new-plan", step, CancellationToken.None);
        Assert.Equal(1, await store.GetRevisionAsync("new-plan", CancellationToken.None));
        Assert.Equal(9L, _folder.RawScalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%ON CONFLICT (plan) DO UPDATE%'"));
        Assert.Equal(9L, _folder.RawScalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"));
    }

    [Fact]
    public async Task A_snapshot_is_kept_per_plan_file_and_replaced_by_the_next()
    {
        await using var store = await _folder.OpenAsync();
        Assert.Null(await store.FindStatusSnapshotAsync("/plans/a.yaml", CancellationToken.None));

        await store.SaveStatusSnapshotAsync("/plans/a.yaml", "a", 3, [1, 2, 3], CancellationToken.None);
        await store.SaveStatusSnapshotAsync("/plans/b.yaml", "b", 1, [9], CancellationToken.None);
        await store.SaveStatusSnapshotAsync("/plans/a.yaml", "a", 4, [4, 5], CancellationToken.None);

        Assert.Equal([4, 5], await store.FindStatusSnapshotAsync("/plans/a.yaml", CancellationToken.None));
        Assert.Equal([9], await store.FindStatusSnapshotAsync("/plans/b.yaml", CancellationToken.None));
        // Keeping a snapshot is not a write status depends on: it must not make itself stale.
        Assert.Equal(0, await store.GetRevisionAsync("a", CancellationToken.None));
    }
}
