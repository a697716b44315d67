using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite.Tests;

[Trait("Category", "Unit")]
public sealed class StepsAndStateHashTests : IDisposable
{
    private readonly TempStateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Open_creates_folder_and_file_in_wal_mode_at_current_schema()
    {
        await using (var store = await _folder.OpenAsync())
        {
            Assert.Equal(_folder.DatabasePath, store.Location);
            Assert.True(File.Exists(_folder.DatabasePath));
        }

        Assert.Equal("wal", _folder.RawScalar("PRAGMA journal_mode"));
        Assert.Equal((long)SqliteStateStore.SchemaVersion, _folder.RawScalar("PRAGMA user_version"));
    }

    [Fact]
    public async Task Saved_step_reads_back_with_all_fields_and_update_replaces_it()
    {
        await using var store = await _folder.OpenAsync();
        var started = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(42);
        var running = new StepRecord
        {
            StepId = "copy/ann@example.test",
            Kind = "copy-mailbox",
            InputHash = "h1",
            Status = StepStatus.Running,
            Attempts = 1,
            StartedAt = started,
        };
        await store.SaveStepAsync("plan-a", running, CancellationToken.None);

        var read = (await store.GetStepsAsync("plan-a", CancellationToken.None))["copy/ann@example.test"];
        Assert.Equal(running, read);
        Assert.Equal(TimeSpan.Zero, read.StartedAt!.Value.Offset);
        Assert.Equal(started.UtcTicks, read.StartedAt.Value.UtcTicks);

        var failed = running with
        {
            Status = StepStatus.Failed,
            Attempts = 2,
            FinishedAt = started.AddMinutes(3),
            Error = "MIG0612: server said NO",
            ResultJson = """{"copied":3}""",
        };
        await store.SaveStepAsync("plan-a", failed, CancellationToken.None);

        var steps = await store.GetStepsAsync("plan-a", CancellationToken.None);
        Assert.Single(steps);
        Assert.Equal(failed, steps["copy/ann@example.test"]);
    }

    [Fact]
    public async Task Steps_are_kept_per_plan()
    {
        await using var store = await _folder.OpenAsync();
        await store.SaveStepAsync("plan-a", Step("s1", "h", StepStatus.Succeeded), CancellationToken.None);
        await store.SaveStepAsync("plan-b", Step("s2", "h", StepStatus.Pending), CancellationToken.None);

        Assert.Equal(["s1"], (await store.GetStepsAsync("plan-a", CancellationToken.None)).Keys);
        Assert.Equal(["s2"], (await store.GetStepsAsync("plan-b", CancellationToken.None)).Keys);
        Assert.Empty(await store.GetStepsAsync("plan-c", CancellationToken.None));
    }

    [Fact]
    public async Task A_new_input_hash_replaces_the_recorded_one_so_the_step_is_no_longer_done()
    {
        await using var store = await _folder.OpenAsync();
        await store.SaveStepAsync("plan", Step("s1", "input-v1", StepStatus.Succeeded), CancellationToken.None);
        var before = await store.GetStateHashAsync("plan", CancellationToken.None);

        await store.SaveStepAsync("plan", Step("s1", "input-v2", StepStatus.Pending), CancellationToken.None);

        var step = (await store.GetStepsAsync("plan", CancellationToken.None))["s1"];
        Assert.Equal("input-v2", step.InputHash);
        Assert.Equal(StepStatus.Pending, step.Status);
        Assert.NotEqual(before, await store.GetStateHashAsync("plan", CancellationToken.None));
    }

    [Fact]
    public async Task State_hash_is_the_empty_hash_without_state_and_changes_with_every_record()
    {
        await using var store = await _folder.OpenAsync();
        var empty = await store.GetStateHashAsync("plan", CancellationToken.None);
        Assert.Equal(StateHash.Empty, empty);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([])), empty);

        await store.SaveStepAsync("plan", Step("s1", "h", StepStatus.Running), CancellationToken.None);
        var afterStep = await store.GetStateHashAsync("plan", CancellationToken.None);

        await store.SaveStepAsync("plan", Step("s1", "h", StepStatus.Succeeded), CancellationToken.None);
        var afterStatus = await store.GetStateHashAsync("plan", CancellationToken.None);

        await store.RecordMessagesAsync("plan", [TempStateFolder.Entry("1")], CancellationToken.None);
        var afterLedger = await store.GetStateHashAsync("plan", CancellationToken.None);

        await store.RecordMessagesAsync("plan", [TempStateFolder.Entry("2")], CancellationToken.None);
        var afterSecond = await store.GetStateHashAsync("plan", CancellationToken.None);

        // Re-recording a known entry records nothing, so the hash stays.
        await store.RecordMessagesAsync("plan", [TempStateFolder.Entry("2")], CancellationToken.None);
        var afterDuplicate = await store.GetStateHashAsync("plan", CancellationToken.None);

        string[] hashes = [empty, afterStep, afterStatus, afterLedger, afterSecond];
        Assert.Equal(hashes.Length, hashes.Distinct().Count());
        Assert.Equal(afterSecond, afterDuplicate);
        Assert.All(hashes, h => Assert.Matches("^[0-9a-f]{64}$", h));

        // Another plan in the same file is unaffected.
        Assert.Equal(StateHash.Empty, await store.GetStateHashAsync("other", CancellationToken.None));
    }

    [Fact]
    public async Task State_hash_is_deterministic_across_reopen()
    {
        string first;
        await using (var store = await _folder.OpenAsync())
        {
            await store.SaveStepAsync("plan", Step("b", "h2", StepStatus.Succeeded), CancellationToken.None);
            await store.SaveStepAsync("plan", Step("a", "h1", StepStatus.Failed), CancellationToken.None);
            await store.RecordMessagesAsync("plan", [TempStateFolder.Entry("1"), TempStateFolder.Entry("2")], CancellationToken.None);
            first = await store.GetStateHashAsync("plan", CancellationToken.None);
            Assert.Equal(first, await store.GetStateHashAsync("plan", CancellationToken.None));
        }

        await using var reopened = await _folder.OpenAsync();
        Assert.Equal(first, await reopened.GetStateHashAsync("plan", CancellationToken.None));
    }

    [Fact]
    public async Task Runs_are_started_finished_and_listed_in_order()
    {
        await using var store = await _folder.OpenAsync();
        var first = await store.StartRunAsync("plan", "migrate", CancellationToken.None);
        var second = await store.StartRunAsync("plan", "verify", CancellationToken.None);
        await store.StartRunAsync("other", "migrate", CancellationToken.None);
        await store.FinishRunAsync(first, "succeeded", """{"copied":10}""", CancellationToken.None);

        var runs = await store.GetRunsAsync("plan", CancellationToken.None);
        Assert.Equal([first, second], runs.Select(r => r.RunId));
        Assert.Equal("migrate", runs[0].Command);
        Assert.Equal("succeeded", runs[0].Outcome);
        Assert.Equal("""{"copied":10}""", runs[0].SummaryJson);
        Assert.NotNull(runs[0].FinishedAt);
        Assert.True(runs[0].FinishedAt >= runs[0].StartedAt);
        Assert.Null(runs[1].FinishedAt);
        Assert.Null(runs[1].Outcome);

        var error = await Assert.ThrowsAsync<StateStoreException>(() => store.FinishRunAsync(9999, "x", "{}", CancellationToken.None));
        Assert.Contains("9999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cursors_round_trip_including_the_largest_modseq_and_none()
    {
        await using var store = await _folder.OpenAsync();
        Assert.Null(await store.GetCursorAsync("plan", "mail", "ann@example.test", "INBOX", CancellationToken.None));

        await store.SaveCursorAsync("plan", "mail", "ann@example.test", "INBOX", new FolderCursor(5, 100, ulong.MaxValue), CancellationToken.None);
        await store.SaveCursorAsync("plan", "mail", "ann@example.test", "Sent", new FolderCursor(6, 7, null), CancellationToken.None);
        Assert.Equal(new FolderCursor(5, 100, ulong.MaxValue), await store.GetCursorAsync("plan", "mail", "ann@example.test", "INBOX", CancellationToken.None));
        Assert.Equal(new FolderCursor(6, 7, null), await store.GetCursorAsync("plan", "mail", "ann@example.test", "Sent", CancellationToken.None));

        await store.SaveCursorAsync("plan", "mail", "ann@example.test", "INBOX", new FolderCursor(5, 120, 9), CancellationToken.None);
        Assert.Equal(new FolderCursor(5, 120, 9), await store.GetCursorAsync("plan", "mail", "ann@example.test", "INBOX", CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_call_records_nothing()
    {
        await using var store = await _folder.OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.RecordMessagesAsync("plan", [TempStateFolder.Entry("1")], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveStepAsync("plan", Step("s", "h", StepStatus.Running), cancelled.Token));
        Assert.Equal(StateHash.Empty, await store.GetStateHashAsync("plan", CancellationToken.None));
    }

    [Fact]
    public async Task Using_a_disposed_store_is_an_error()
    {
        var store = await _folder.OpenAsync();
        await store.DisposeAsync();
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetStepsAsync("plan", CancellationToken.None));
    }

    private static StepRecord Step(string id, string inputHash, StepStatus status) =>
        new() { StepId = id, Kind = "copy-mailbox", InputHash = inputHash, Status = status };
}
