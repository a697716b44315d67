using System.Diagnostics;
using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite.Tests;

[Trait("Category", "Server")]
public sealed class LockTests : IDisposable
{
    private readonly TempStateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Second_acquire_fails_and_names_the_owner()
    {
        await using var store = await _folder.OpenAsync();
        await using var held = await store.AcquireLockAsync("plan", "migrate --wave 1", CancellationToken.None);

        var error = await Assert.ThrowsAsync<PlanLockedException>(() => store.AcquireLockAsync("plan", "verify", CancellationToken.None));

        Assert.Equal("plan", error.PlanName);
        Assert.Equal(Environment.MachineName, error.Owner.Host);
        Assert.Equal(Environment.ProcessId, error.Owner.ProcessId);
        Assert.Equal("migrate --wave 1", error.Owner.Command);
        Assert.Contains($"pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Owner, await store.GetLockOwnerAsync("plan", CancellationToken.None));

        // Other plans in the same file are independent.
        await using var other = await store.AcquireLockAsync("other-plan", "migrate", CancellationToken.None);
    }

    [Fact]
    public async Task Another_store_on_the_same_file_cannot_take_a_held_lock()
    {
        await using var first = await _folder.OpenAsync();
        await using var second = await _folder.OpenAsync();
        await using var held = await first.AcquireLockAsync("plan", "migrate", CancellationToken.None);

        await Assert.ThrowsAsync<PlanLockedException>(() => second.AcquireLockAsync("plan", "migrate", CancellationToken.None));
    }

    [Fact]
    public async Task Releasing_the_lock_frees_the_plan()
    {
        await using var store = await _folder.OpenAsync();
        var held = await store.AcquireLockAsync("plan", "migrate", CancellationToken.None);
        await held.DisposeAsync();
        await held.DisposeAsync();

        Assert.Null(await store.GetLockOwnerAsync("plan", CancellationToken.None));
        await using var again = await store.AcquireLockAsync("plan", "migrate", CancellationToken.None);
        Assert.NotNull(await store.GetLockOwnerAsync("plan", CancellationToken.None));
    }

    [Fact]
    public async Task Disposing_the_store_releases_its_locks()
    {
        await using (var store = await _folder.OpenAsync())
        {
            await store.AcquireLockAsync("plan", "migrate", CancellationToken.None);
        }

        await using var reopened = await _folder.OpenAsync();
        Assert.Null(await reopened.GetLockOwnerAsync("plan", CancellationToken.None));
    }

    [Fact]
    public async Task Lock_of_a_dead_process_on_this_host_is_taken_over()
    {
        var deadPid = RunAndWaitForExit("/bin/true");
        await using var store = await _folder.OpenAsync();
        InsertLockRow(Environment.MachineName, deadPid, processStart: "linux:12345");

        await using var held = await store.AcquireLockAsync("plan", "migrate", CancellationToken.None);

        var owner = await store.GetLockOwnerAsync("plan", CancellationToken.None);
        Assert.Equal(Environment.ProcessId, owner!.ProcessId);
    }

    [Fact]
    public async Task Lock_recorded_under_a_reused_pid_is_taken_over()
    {
        // Our own pid is alive, but the recorded start time is not ours: the pid was reused since the owner died.
        await using var store = await _folder.OpenAsync();
        InsertLockRow(Environment.MachineName, Environment.ProcessId, processStart: "linux:1");

        await using var held = await store.AcquireLockAsync("plan", "migrate", CancellationToken.None);

        Assert.Equal("migrate", (await store.GetLockOwnerAsync("plan", CancellationToken.None))!.Command);
    }

    [Fact]
    public async Task Lock_of_a_live_process_is_kept()
    {
        await using var store = await _folder.OpenAsync();
        InsertLockRow(Environment.MachineName, Environment.ProcessId, ProcessIdentity.CurrentStartMarker);

        var error = await Assert.ThrowsAsync<PlanLockedException>(() => store.AcquireLockAsync("plan", "migrate", CancellationToken.None));
        Assert.Equal("old run", error.Owner.Command);
    }

    [Fact]
    public async Task Lock_of_another_host_is_never_taken_over()
    {
        var deadPid = RunAndWaitForExit("/bin/true");
        await using var store = await _folder.OpenAsync();
        InsertLockRow("some-other-host", deadPid, processStart: "linux:12345");

        var error = await Assert.ThrowsAsync<PlanLockedException>(() => store.AcquireLockAsync("plan", "migrate", CancellationToken.None));
        Assert.Equal("some-other-host", error.Owner.Host);
    }

    [Fact]
    public async Task Force_unlock_removes_any_lock_and_the_old_holder_does_not_remove_the_new_one()
    {
        await using var store = await _folder.OpenAsync();
        var stale = await store.AcquireLockAsync("plan", "migrate", CancellationToken.None);

        Assert.True(await store.ForceUnlockAsync("plan", CancellationToken.None));
        Assert.False(await store.ForceUnlockAsync("plan", CancellationToken.None));

        await using var fresh = await store.AcquireLockAsync("plan", "resume", CancellationToken.None);
        await stale.DisposeAsync();

        Assert.Equal("resume", (await store.GetLockOwnerAsync("plan", CancellationToken.None))!.Command);
    }

    [Fact]
    public async Task Racing_stores_on_one_file_exactly_one_wins_each_round()
    {
        const int contenders = 6;
        var stores = new List<SqliteStateStore>();
        try
        {
            for (var i = 0; i < contenders; i++)
            {
                stores.Add(await _folder.OpenAsync());
            }

            for (var round = 0; round < 5; round++)
            {
                var plan = $"plan-{round}";
                using var start = new ManualResetEventSlim();
                var attempts = stores.Select(store => Task.Run(async () =>
                {
                    start.Wait();
                    try
                    {
                        return await store.AcquireLockAsync(plan, "migrate", CancellationToken.None);
                    }
                    catch (PlanLockedException)
                    {
                        return null;
                    }
                })).ToList();
                start.Set();
                var results = await Task.WhenAll(attempts);

                Assert.Single(results, r => r is not null);
                Assert.NotNull(await stores[0].GetLockOwnerAsync(plan, CancellationToken.None));
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public void Process_identity_tells_a_live_process_from_an_exited_one()
    {
        var deadPid = RunAndWaitForExit("/bin/true");

        Assert.NotNull(ProcessIdentity.CurrentStartMarker);
        Assert.True(ProcessIdentity.IsAlive(Environment.ProcessId, ProcessIdentity.CurrentStartMarker));
        Assert.False(ProcessIdentity.IsAlive(Environment.ProcessId, "linux:1"));
        Assert.False(ProcessIdentity.IsAlive(deadPid, null));
        Assert.Null(ProcessIdentity.GetStartMarker(deadPid));
    }

    private void InsertLockRow(string host, int pid, string? processStart) =>
        _folder.RawExecute(
            "INSERT INTO locks (plan, host, pid, process_start, since, command, token) VALUES ('plan', $host, $pid, $start, '2025-01-01T00:00:00.0000000Z', 'old run', 'foreign-token')",
            ("$host", host), ("$pid", pid), ("$start", (object?)processStart ?? DBNull.Value));

    private static int RunAndWaitForExit(string executable)
    {
        using var process = Process.Start(new ProcessStartInfo(executable) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
