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
