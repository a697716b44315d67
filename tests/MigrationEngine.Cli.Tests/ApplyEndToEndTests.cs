using System.Diagnostics;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>plan and apply end to end on local files: idempotency, crash safety, locking, lost state.</summary>
[Trait("Category", "Server")]
public sealed class ApplyEndToEndTests
{
    private static readonly string[] Users = ["alice@contoso.com", "bob@contoso.com"];

    [Fact]
    public async Task Apply_copies_everything_once_and_a_rerun_copies_nothing()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 120);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e", "maildir", "src", "out", Users));

        var first = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("Copied 240 messages", first.Out, StringComparison.Ordinal);
        foreach (var user in Users)
        {
            Assert.Equal(expected[user].Order(), Corpus.HashMaildirTree(temp.Combine("out", user)).Order());
        }

        var second = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("Copied 0 messages", second.Out, StringComparison.Ordinal);
        // Nothing was found present in this run; the state holds the 240 copies of the first.
        Assert.Contains("in this run: 0 already present", second.Out, StringComparison.Ordinal);
        Assert.Contains("In total: 240 copied", second.Out, StringComparison.Ordinal);
        Assert.Contains("everything is already present", second.Out, StringComparison.Ordinal);

        var plan = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--detailed-exitcode");
        Assert.True(plan.ExitCode == 0, plan.All);
        Assert.Contains("0 to create, 0 to re-run", plan.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_shows_changes_and_detailed_exit_code_two_before_apply()
    {
        using var temp = new TempDirectory();
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 3);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e-plan", "maildir", "src", "out", Users));
        var plan = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--detailed-exitcode");
        Assert.Equal(2, plan.ExitCode);
        Assert.Contains("+ preflight-source/copy/alice@contoso.com", plan.Out, StringComparison.Ordinal);
        Assert.Contains("? copy/copy/alice@contoso.com", plan.Out, StringComparison.Ordinal);
        Assert.Contains("Legend:", plan.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_the_plan_reruns_exactly_the_affected_steps()
    {
        using var temp = new TempDirectory();
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 6);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e-edit", "maildir", "src", "out", Users));
        Assert.Equal(0, (await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml")).ExitCode);

        // Renaming bob's target changes bob's steps only.
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e-edit", "maildir", "src", "out", Users).Replace("target: bob@contoso.com", "target: robert@contoso.com", StringComparison.Ordinal));
        var plan = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--output", "json");
        Assert.True(plan.ExitCode == 0, plan.All);
        Assert.Contains("\"id\": \"verify/copy/alice@contoso.com\",\n      \"kind\": \"verify\",\n      \"migration\": \"copy\",\n      \"mailbox\": \"alice@contoso.com\",\n      \"action\": \"unchanged\"", plan.Out, StringComparison.Ordinal);
        Assert.Contains("\"id\": \"preflight-target/copy/robert@contoso.com\",\n      \"kind\": \"preflight-target\",\n      \"migration\": \"copy\",\n      \"mailbox\": \"robert@contoso.com\",\n      \"action\": \"create\"", plan.Out, StringComparison.Ordinal);
        Assert.Contains("\"format_version\": \"1\"", plan.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saved_plan_applies_once_and_is_refused_when_stale()
    {
        using var temp = new TempDirectory();
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 4);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e-saved", "maildir", "src", "out", Users));
        var plan = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--out", "reviewed.json");
        Assert.True(plan.ExitCode == 0, plan.All);

        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "reviewed.json");
        Assert.True(apply.ExitCode == 0, apply.All);

        // The state moved on: the same saved plan (made from empty state) is now stale.
        var again = await MigrateCli.RunAsync(temp.Path, "apply", "reviewed.json");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("MIG0556", again.Error, StringComparison.Ordinal);
        Assert.Contains("state changed", again.Error, StringComparison.Ordinal);

        var fresh = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--out", "reviewed.json");
        Assert.Equal(0, fresh.ExitCode);
        File.AppendAllText(temp.Combine("plan.yaml"), "\n# edited after review\n");
        var edited = await MigrateCli.RunAsync(temp.Path, "apply", "reviewed.json");
        Assert.Equal(1, edited.ExitCode);
        Assert.Contains("plan file or one of its CSV files changed", edited.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killing_apply_at_random_moments_loses_and_duplicates_nothing()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 2500, seed: 11);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e-crash", "maildir", "src", "out", Users));
        var random = new Random(1234);
        var kills = 0;
        var completions = 0;
        for (var attempt = 0; attempt < 60 && kills < 12; attempt++)
        {
            // Kill at a random point of progress (a random number of further messages written), so that most kills land
            // mid-copy whatever the machine's speed; every fifth attempt kills after a random delay instead, which also
            // hits start-up and the lock.
            var arrived = CountMessages(temp.Combine("out"));
            var byTime = attempt % 5 == 0;
            var killAt = arrived + random.Next(10, 150);
            using var process = Process.Start(MigrateCli.StartInfo(temp.Path, null, "apply", "plan.yaml"))!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (byTime)
            {
                await Task.Delay(random.Next(50, 300));
            }
            else
            {
                while (!process.HasExited && CountMessages(temp.Combine("out")) < killAt)
                {
                    await Task.Delay(5);
                }
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                kills++;
                await process.WaitForExitAsync();
                continue;
            }

            // A fast machine finished the copy before the kill: the killed runs before it must have left exactly the
            // source behind. Start again from nothing, so the number of kills never depends on the machine's speed.
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stdout}{await stderr}");
            AssertEveryMessageOnce(temp, expected);
            completions++;
            Directory.Delete(temp.Combine("out"), recursive: true);
            Directory.Delete(temp.Combine(".migrate"), recursive: true);
        }

        Assert.True(kills >= 10, $"only {kills} runs could be killed before they finished ({completions} finished)");
        var final = await MigrateCli.RunProcessAsync(temp.Path, TimeSpan.FromMinutes(3), null, "apply", "plan.yaml");
        Assert.True(final.ExitCode == 0, final.All);
        AssertEveryMessageOnce(temp, expected);
    }

    private static void AssertEveryMessageOnce(TempDirectory temp, IReadOnlyDictionary<string, List<string>> expected)
    {
        foreach (var user in Users)
        {
            var arrived = Corpus.HashMaildirTree(temp.Combine("out", user));
            Assert.Equal(expected[user].Count, arrived.Count);
            Assert.Equal(expected[user].Order(), arrived.Order());
        }
    }

    [Fact]
    public async Task Ctrl_C_finishes_the_batch_in_flight_exits_130_and_a_rerun_completes()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 3000, seed: 3);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e-sigint", "maildir", "src", "out", Users));
        using var process = Process.Start(MigrateCli.StartInfo(temp.Path, null, "apply", "plan.yaml"))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string? line;
        while ((line = await process.StandardError.ReadLineAsync()) is not null && !line.Contains("started", StringComparison.Ordinal))
        {
        }

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {await stdout}{stderr}");
        Assert.Contains("MIG0562", stderr + await stdout, StringComparison.Ordinal);

        var rerun = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(rerun.ExitCode == 0, rerun.All);
        foreach (var user in Users)
        {
            Assert.Equal(expected[user].Order(), Corpus.HashMaildirTree(temp.Combine("out", user)).Order());
        }
    }

    [Fact]
    public async Task Three_concurrent_applies_share_the_mailboxes_and_copy_every_message_once()
    {
        using var temp = new TempDirectory();
        string[] users = [.. Enumerable.Range(1, 6).Select(i => $"user{i}@contoso.com")];
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), users, 400, seed: 5);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e-share", "maildir", "src", "out", users, "      concurrency:\n        mailboxes: 1\n"));
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            MigrateCli.RunProcessAsync(temp.Path, TimeSpan.FromMinutes(4), null, "apply", "plan.yaml")));
        Assert.True(runs.All(r => r.ExitCode == 0), string.Join("\n----\n", runs.Select(r => $"exit {r.ExitCode}: {r.All}")));

        foreach (var user in users)
        {
            Assert.Equal(expected[user].Order(), Corpus.HashMaildirTree(temp.Combine("out", user)).Order());
        }

        // Each mailbox was copied by one run (one holder of its lease), and each message recorded once.
        var copiedBy = new Dictionary<string, long>();
        await using (var store = await MigrationEngine.State.Sqlite.SqliteStateStore.OpenAsync(temp.Combine(".migrate", "state.db"), CancellationToken.None))
        {
            foreach (var user in users)
            {
                var entries = await store.GetLedgerEntriesAsync("e2e-share", "copy", user, CancellationToken.None);
                Assert.Equal(400, entries.Count);
                var runIds = entries.Where(e => e.Outcome == "copied").Select(e => e.RunId).Distinct().ToList();
                Assert.True(runIds.Count == 1, $"{user} was copied by runs {string.Join(", ", runIds)}");
                copiedBy[user] = runIds[0];
            }
        }

        Console.WriteLine($"mailboxes per run: {string.Join(", ", copiedBy.GroupBy(p => p.Value).Select(g => $"run {g.Key}: {g.Count()}"))}");
        var rerun = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(rerun.ExitCode == 0, rerun.All);
        Assert.Contains("Copied 0 messages", rerun.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_names_the_live_process_that_holds_the_lock_and_unlock_needs_force_to_remove_it()
    {
        using var temp = new TempDirectory();
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 2);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e-held", "maildir", "src", "out", Users));
        await using (var store = await MigrationEngine.State.Sqlite.SqliteStateStore.OpenAsync(temp.Combine(".migrate", "state.db"), CancellationToken.None))
        {
            await using var held = await store.AcquireLockAsync("e2e-held", "test", CancellationToken.None);
            var blocked = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
            Assert.Equal(1, blocked.ExitCode);
            Assert.Contains($"pid {Environment.ProcessId}", blocked.Error, StringComparison.Ordinal);
            Assert.Contains("migrate unlock", blocked.Error, StringComparison.Ordinal);

            // The holder is alive: unlock names it and refuses; --force breaks it.
            var refused = await MigrateCli.RunAsync(temp.Path, "unlock", "plan.yaml");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("MIG0557", refused.Error, StringComparison.Ordinal);
            Assert.Contains($"pid {Environment.ProcessId}", refused.Error, StringComparison.Ordinal);

            var unlock = await MigrateCli.RunAsync(temp.Path, "unlock", "plan.yaml", "--force");
            Assert.Equal(0, unlock.ExitCode);
            Assert.Contains("Removed the lock", unlock.Out, StringComparison.Ordinal);
        }

        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(apply.ExitCode == 0, apply.All);
    }

    [Fact]
    public async Task A_lost_or_corrupt_state_is_reported_and_the_target_check_prevents_duplicates()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 50);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e-state", "maildir", "src", "out", Users));
        Assert.Equal(0, (await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml")).ExitCode);

        var database = temp.Combine(".migrate", "state.db");
        foreach (var sidecar in new[] { database + "-wal", database + "-shm" })
        {
            File.Delete(sidecar);
        }

        File.WriteAllBytes(database, System.Text.Encoding.ASCII.GetBytes(new string('x', 8192)));
        var corrupt = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.Equal(1, corrupt.ExitCode);
        Assert.Contains("state.db", corrupt.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", corrupt.All, StringComparison.Ordinal);

        File.Delete(database);
        var rerun = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(rerun.ExitCode == 0, rerun.All);
        Assert.Contains("Copied 0 messages", rerun.Out, StringComparison.Ordinal);
        Assert.Contains("100 already present", rerun.Out, StringComparison.Ordinal);
        foreach (var user in Users)
        {
            Assert.Equal(expected[user].Order(), Corpus.HashMaildirTree(temp.Combine("out", user)).Order());
        }
    }

    private static int CountMessages(string root) => Directory.Exists(root)
        ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Count(f => Path.GetFileName(Path.GetDirectoryName(f)) is "cur" or "new")
        : 0;
}
