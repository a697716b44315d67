using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite.Tests;

/// <summary>
/// The writer's queue: writes that arrive while the writer is busy run one after the other once it is free; each caller
/// gets its own result or its own failure, and a cancelled or late write fails alone. Step saves and lease claims queued
/// one behind the other share a commit.
/// </summary>
[Trait("Category", "Unit")]
public sealed class WriteQueueTests : IDisposable
{
    private readonly TempStateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static StepRecord Step(string id, int attempts) =>
        new() { StepId = id, Kind = "copy", InputHash = "h", Status = StepStatus.Running, Attempts = attempts };

    [Fact]
    public async Task Writes_queued_behind_a_busy_writer_all_run_and_a_refused_one_fails_alone()
    {
        await using var store = await _folder.OpenAsync();
        // More writes than one caller runs in its turn (64), so the queue is also handed over to a pool thread.
        const int writers = 150;
        var stale = new MailboxLease("mail", "ann@example.test", "host", 1, null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1), Token: 99);
        Task refused;
        List<Task> steps;
        using (await store.HoldWriterAsync())
        {
            steps = Enumerable.Range(0, writers).Select(i => store.SaveStepAsync("plan", Step($"s{i}", i), CancellationToken.None)).ToList();
            refused = store.RecordMessagesAsync("plan", [TempStateFolder.Entry("1")], stale, CancellationToken.None);
            await Task.Delay(50);
            Assert.All(steps, t => Assert.False(t.IsCompleted));
            Assert.False(refused.IsCompleted);
        }

        await Task.WhenAll(steps).WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<LeaseLostException>(() => refused);
        var recorded = await store.GetStepsAsync("plan", CancellationToken.None);
        Assert.Equal(writers, recorded.Count);
        Assert.All(Enumerable.Range(0, writers), i => Assert.Equal(i, recorded[$"s{i}"].Attempts));
        Assert.Empty(await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", CancellationToken.None));
    }

    [Fact]
    public async Task A_write_cancelled_while_it_waits_is_not_written_and_the_others_are()
    {
        await using var store = await _folder.OpenAsync();
        using var cancel = new CancellationTokenSource();
        Task first, cancelled, last;
        using (await store.HoldWriterAsync())
        {
            first = store.SaveStepAsync("plan", Step("first", 1), CancellationToken.None);
            cancelled = store.SaveStepAsync("plan", Step("cancelled", 1), cancel.Token);
            last = store.SaveStepAsync("plan", Step("last", 1), CancellationToken.None);
            await cancel.CancelAsync();
        }

        await Task.WhenAll(first, last).WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var recorded = await store.GetStepsAsync("plan", CancellationToken.None);
        Assert.Equal(["first", "last"], recorded.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Step_saves_and_lease_claims_queued_one_behind_the_other_share_commits_and_each_is_written()
    {
        await using var store = await _folder.OpenAsync();
        const int saves = 40;
        var before = CommitsInLog();
        List<Task> steps;
        List<Task<LeaseClaim>> claims;
        using (await store.HoldWriterAsync())
        {
            steps = Enumerable.Range(0, saves).Select(i => store.SaveStepsAsync("plan", [Step($"s{i}", i), Step($"t{i}", i)], CancellationToken.None)).ToList();
            claims = Enumerable.Range(0, 10).Select(i => store.TryAcquireMailboxLeaseAsync("plan", "mail", $"user{i}@example.test",
                new LeaseIdentity("host", 1, null, "apply"), TimeSpan.FromMinutes(1), CancellationToken.None)).ToList();
            await Task.Delay(50);
        }

        await Task.WhenAll(steps.Concat(claims)).WaitAsync(TimeSpan.FromSeconds(30));
        // At most 32 writes a commit: 50 writes are 2 commits, not 50.
        Assert.InRange(CommitsInLog() - before, 1, 2);
        var recorded = await store.GetStepsAsync("plan", CancellationToken.None);
        Assert.Equal(2 * saves, recorded.Count);
        Assert.All(Enumerable.Range(0, saves), i => Assert.Equal(i, recorded[$"t{i}"].Attempts));
        Assert.All(claims, claim => Assert.NotNull(claim.Result.Acquired));
        Assert.Equal(10, (await store.GetMailboxLeasesAsync("plan", CancellationToken.None)).Count);
    }

    /// <summary>
    /// Commits in the write-ahead log: frames of the log's current salt whose header carries the database size, which only a
    /// transaction's last frame does (https://sqlite.org/fileformat2.html, "WAL File Format").
    /// </summary>
    private int CommitsInLog()
    {
        using var log = new FileStream(_folder.DatabasePath + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[log.Length];
        log.ReadExactly(bytes);
        var pageSize = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        var salt = bytes.AsSpan(16, 8).ToArray();
        var commits = 0;
        for (var frame = 32; frame + 24 + pageSize <= bytes.Length; frame += 24 + pageSize)
        {
            if (!bytes.AsSpan(frame + 8, 8).SequenceEqual(salt))
            {
                break;
            }

            if (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(frame + 4)) != 0)
            {
                commits++;
            }
        }

        return commits;
    }

    [Fact]
    public async Task Writes_still_queued_when_the_store_closes_fail_instead_of_waiting_forever()
    {
        var store = await _folder.OpenAsync();
        Task queued;
        Task closing;
        using (await store.HoldWriterAsync())
        {
            // The close waits for the writer before the write queued after it does: the write then finds the store closed.
            closing = store.DisposeAsync().AsTask();
            queued = store.SaveStepAsync("plan", Step("late", 1), CancellationToken.None);
        }

        await closing.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued.WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.SaveStepAsync("plan", Step("after", 1), CancellationToken.None));
    }
}
