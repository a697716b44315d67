using System.Diagnostics;
using System.Globalization;
using MigrationEngine.Core.State;
using Xunit.Abstractions;

namespace MigrationEngine.State.Sqlite.Tests;

[Trait("Category", "Unit")]
public sealed class ConcurrencyAndSpeedTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempStateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Parallel_writers_and_readers_on_one_store_and_a_second_store_lose_nothing()
    {
        await using var store = await _folder.OpenAsync();
        await using var secondStore = await _folder.OpenAsync();
        const int writers = 8;
        const int batchesPerWriter = 20;
        const int batchSize = 25;

        var tasks = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            // Half the writers go through a second store: another connection on the same file, as another process would.
            var target = writer % 2 == 0 ? store : secondStore;
            for (var batch = 0; batch < batchesPerWriter; batch++)
            {
                var entries = Enumerable.Range(0, batchSize)
                    .Select(i => TempStateFolder.Entry($"{writer}-{batch}-{i}", folder: $"F{writer}"))
                    .ToList();
                await target.RecordMessagesAsync("plan", entries, CancellationToken.None);
                await target.SaveStepAsync("plan", new StepRecord { StepId = $"w{writer}", Kind = "copy", InputHash = "h", Status = StepStatus.Running, Attempts = batch }, CancellationToken.None);
                var view = await store.GetLedgerFolderAsync("plan", "mail", "ann@example.test", $"F{writer}", CancellationToken.None);
                Assert.Equal((batch + 1) * batchSize, view.SourceIds.Count);
            }
        })).ToList();
        await Task.WhenAll(tasks);

        var all = await secondStore.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", CancellationToken.None);
        Assert.Equal(writers * batchesPerWriter * batchSize, all.Count);
        Assert.Equal(all.Count, all.Select(e => e.SourceId).Distinct().Count());
        var steps = await store.GetStepsAsync("plan", CancellationToken.None);
        Assert.Equal(writers, steps.Count);
        Assert.All(steps.Values, s => Assert.Equal(batchesPerWriter - 1, s.Attempts));
    }

    [Fact]
    public async Task Recorded_batches_survive_when_the_process_dies_without_closing_the_store()
    {
        var store = await _folder.OpenAsync();
        await store.RecordMessagesAsync("plan", [TempStateFolder.Entry("1"), TempStateFolder.Entry("2")], CancellationToken.None);
        await store.SaveStepAsync("plan", new StepRecord { StepId = "s", Kind = "copy", InputHash = "h", Status = StepStatus.Running }, CancellationToken.None);

        // What a killed process leaves on disk: the database and its log as the OS holds them, no clean close, no shared memory.
        var crashCopy = Path.Combine(_folder.FolderPath, "after-kill", "migration.db");
        Directory.CreateDirectory(Path.GetDirectoryName(crashCopy)!);
        File.Copy(_folder.DatabasePath, crashCopy);
        Assert.True(new FileInfo(_folder.DatabasePath + "-wal").Length > 0);
        File.Copy(_folder.DatabasePath + "-wal", crashCopy + "-wal");

        await using (var recovered = await SqliteStateStore.OpenAsync(crashCopy, CancellationToken.None))
        {
            Assert.Equal(2, (await recovered.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", CancellationToken.None)).Count);
            Assert.Equal(StepStatus.Running, (await recovered.GetStepsAsync("plan", CancellationToken.None))["s"].Status);
        }

        await store.DisposeAsync();
    }

    [Fact]
    public async Task Recording_and_loading_ten_thousand_entries_in_batches_of_fifty()
    {
        await using var store = await _folder.OpenAsync();
        const int total = 10_000;
        var entries = Enumerable.Range(1, total)
            .Select(i => TempStateFolder.Entry(i.ToString(CultureInfo.InvariantCulture)) with
            {
                DedupKey = $"id:{Guid.NewGuid():N}@mail.example.test",
                Sha256 = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            })
            .ToList();

        var record = Stopwatch.StartNew();
        foreach (var batch in entries.Chunk(50))
        {
            await store.RecordMessagesAsync("plan", batch, CancellationToken.None);
        }

        record.Stop();

        // First load opens a reader connection; the second shows the steady state.
        var firstLoad = Stopwatch.StartNew();
        var view = await store.GetLedgerFolderAsync("plan", "mail", "ann@example.test", "INBOX", CancellationToken.None);
        firstLoad.Stop();
        var secondLoad = Stopwatch.StartNew();
        view = await store.GetLedgerFolderAsync("plan", "mail", "ann@example.test", "INBOX", CancellationToken.None);
        secondLoad.Stop();

        var hash = Stopwatch.StartNew();
        await store.GetStateHashAsync("plan", CancellationToken.None);
        hash.Stop();

        output.WriteLine($"record {total} entries in batches of 50: {record.ElapsedMilliseconds} ms");
        output.WriteLine($"load folder of {total}: first {firstLoad.Elapsed.TotalMilliseconds:F1} ms, again {secondLoad.Elapsed.TotalMilliseconds:F1} ms");
        output.WriteLine($"state hash: {hash.Elapsed.TotalMilliseconds:F1} ms; file {new FileInfo(_folder.DatabasePath).Length / 1024} KiB (+ wal)");

        Assert.Equal(total, view.SourceIds.Count);
        Assert.Equal(total, view.DedupKeys.Count);
        Assert.Equal(7, view.FolderValidity);
    }
}
