using System.Diagnostics;
using System.Globalization;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.Core.State;
using MigrationEngine.State.Sqlite;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>apply converges (plain re-runs copy new mail), mailbox leases as unlock and status see them, SIGTERM.</summary>
[Trait("Category", "Server")]
public sealed class ConvergeTests
{
    private static readonly string[] Users = ["alice@contoso.com", "bob@contoso.com"];

    [Fact]
    public async Task Plan_shows_mail_that_arrived_after_the_full_copy_and_a_plain_rerun_copies_exactly_it()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 30);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("converge", "maildir", "src", "out", Users));
        Assert.Equal(0, (await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml")).ExitCode);

        var settled = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--detailed-exitcode");
        Assert.True(settled.ExitCode == 0, settled.All);
        Assert.Contains("alice@contoso.com: up to date", settled.Out, StringComparison.Ordinal);

        var arrived = Corpus.Message("alice@contoso.com", 1000, new Random(1));
        File.WriteAllBytes(temp.Combine("src", "alice@contoso.com", "new", "1800000000.M1P1.test"), arrived);

        // plan reads the sources (read-only) and shows the new message; offline it cannot know.
        var pending = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--detailed-exitcode");
        Assert.True(pending.ExitCode == 2, pending.All);
        Assert.Contains("~ copy/alice@contoso.com: 1 new messages in 1 folders", pending.Out, StringComparison.Ordinal);
        Assert.Contains("1 new messages", pending.Out, StringComparison.Ordinal);
        var offline = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--detailed-exitcode", "--refresh=false");
        Assert.True(offline.ExitCode == 0, offline.All);
        Assert.DoesNotContain("new messages", offline.Out, StringComparison.Ordinal);
        var json = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--output", "json");
        Assert.Contains("\"pending_messages\": 1", json.Out, StringComparison.Ordinal);

        var rerun = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");

        Assert.True(rerun.ExitCode == 0, rerun.All);
        Assert.Contains("Copied 1 messages", rerun.Out, StringComparison.Ordinal);
        Assert.Equal(expected["alice@contoso.com"].Append(Corpus.Sha256(arrived)).Order(), Corpus.HashMaildirTree(temp.Combine("out", "alice@contoso.com")).Order());
        Assert.Equal(expected["bob@contoso.com"].Order(), Corpus.HashMaildirTree(temp.Combine("out", "bob@contoso.com")).Order());

        var converged = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--detailed-exitcode");
        Assert.True(converged.ExitCode == 0, converged.All);

        var third = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.Contains("Copied 0 messages", third.Out, StringComparison.Ordinal);
        Assert.Contains("already complete", third.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlock_refuses_a_live_lease_names_its_holder_and_breaks_it_with_force()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 10);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("leased", "maildir", "src", "out", Users));
        await using (var store = await SqliteStateStore.OpenAsync(temp.Combine(".migrate", "state.db"), CancellationToken.None))
        {
            var claim = await store.TryAcquireMailboxLeaseAsync("leased", "copy", "alice@contoso.com", LeaseIdentity.Current("test"), TimeSpan.FromMinutes(5), CancellationToken.None);
            Assert.NotNull(claim.Acquired);

            var status = await MigrateCli.RunAsync(temp.Path, "status", "plan.yaml");
            Assert.Contains($"held by {Environment.MachineName} pid {Environment.ProcessId}", status.Out, StringComparison.Ordinal);
            Assert.Contains("(live)", status.Out, StringComparison.Ordinal);

            var refused = await MigrateCli.RunAsync(temp.Path, "unlock", "plan.yaml");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("MIG0573", refused.Error, StringComparison.Ordinal);
            Assert.Contains($"pid {Environment.ProcessId}", refused.Error, StringComparison.Ordinal);

            var forced = await MigrateCli.RunAsync(temp.Path, "unlock", "plan.yaml", "--force");
            Assert.True(forced.ExitCode == 0, forced.All);
            Assert.Contains("Broke the lease of mailbox alice@contoso.com", forced.Out, StringComparison.Ordinal);

            // The old holder notices at its next write: refused, nothing recorded.
            var lost = await Assert.ThrowsAsync<LeaseLostException>(() =>
                store.RecordMessagesAsync("leased", [LedgerEntry("alice@contoso.com")], claim.Acquired!, CancellationToken.None));
            Assert.Equal("alice@contoso.com", lost.Mailbox);
            Assert.Empty(await store.GetLedgerEntriesAsync("leased", "copy", "alice@contoso.com", CancellationToken.None));
        }

        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(apply.ExitCode == 0, apply.All);
        Assert.Equal(expected["alice@contoso.com"].Order(), Corpus.HashMaildirTree(temp.Combine("out", "alice@contoso.com")).Order());
    }

    [Fact]
    public async Task Damaged_lock_and_lease_rows_give_coded_diagnostics_and_unlock_removes_them()
    {
        using var temp = new TempDirectory();
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 5);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("damaged", "maildir", "src", "out", Users));
        var database = temp.Combine(".migrate", "state.db");
        await using (await SqliteStateStore.OpenAsync(database, CancellationToken.None))
        {
        }

        RawExecute(database, """
            INSERT INTO locks (plan, host, pid, process_start, since, command, token) VALUES ('damaged', 'h', 'not a pid', NULL, 'yesterday', 'x', 't');
            INSERT INTO mailbox_leases (plan, migration, mailbox, host, pid, process_start, command, started_at, heartbeat_at, expires_at, token)
            VALUES ('damaged', 'copy', 'bob@contoso.com', 'h', 12, NULL, NULL, 'garbage', 'garbage', 'garbage', 'seven');
            """);

        var blocked = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.Equal(1, blocked.ExitCode);
        Assert.Contains("MIG0571", blocked.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", blocked.All, StringComparison.Ordinal);

        var status = await MigrateCli.RunAsync(temp.Path, "status", "plan.yaml");
        Assert.True(status.ExitCode == 0, status.All);
        Assert.Contains("a damaged lease row", status.Out, StringComparison.Ordinal);

        var unlock = await MigrateCli.RunAsync(temp.Path, "unlock", "plan.yaml");
        Assert.True(unlock.ExitCode == 0, unlock.All);
        Assert.Contains("Removed the lock", unlock.Out, StringComparison.Ordinal);
        Assert.Contains("Broke the lease of mailbox bob@contoso.com", unlock.Out, StringComparison.Ordinal);

        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(apply.ExitCode == 0, apply.All);
    }

    [Fact]
    public async Task Sigterm_finishes_the_batch_in_flight_exits_143_and_a_rerun_converges()
    {
        using var temp = new TempDirectory();
        // Enough mail that the copy is still going when the signal lands: with 3,000 messages the copy took about a second,
        // and under load a signal sent after the first "started" line arrived once after every mailbox had finished.
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 12000, seed: 11);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("e2e-sigterm", "maildir", "src", "out", Users));
        using var process = Process.Start(MigrateCli.StartInfo(temp.Path, null, "apply", "plan.yaml"))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string? line;
        while ((line = await process.StandardError.ReadLineAsync()) is not null && !line.Contains("started", StringComparison.Ordinal))
        {
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        Assert.True(process.ExitCode == 143, $"exit {process.ExitCode}: {output}{stderr}");
        Assert.Contains("MIG0562", stderr + output, StringComparison.Ordinal);
        Assert.Contains("Summary of run", output, StringComparison.Ordinal);
        Assert.Contains("run apply to resume", output, StringComparison.Ordinal);

        var rerun = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(rerun.ExitCode == 0, rerun.All);
        foreach (var user in Users)
        {
            Assert.Equal(expected[user].Order(), Corpus.HashMaildirTree(temp.Combine("out", user)).Order());
        }
    }

    [Fact]
    public async Task Verification_reports_duplicates_in_the_target_and_counts_foreign_mail_without_touching_it()
    {
        using var temp = new TempDirectory();
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 9);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("dupes", "maildir", "src", "out", Users));
        Assert.Equal(0, (await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml")).ExitCode);

        var inbox = temp.Combine("out", "alice@contoso.com", "cur");
        var copied = Directory.GetFiles(inbox).Order(StringComparer.Ordinal).First();
        var duplicate = Path.Combine(inbox, "1900000000.M1P1.dup:2,S");
        File.Copy(copied, duplicate);
        var foreign = Path.Combine(inbox, "1900000001.M2P1.foreign:2,");
        File.WriteAllBytes(foreign, Corpus.Message("someone-else@contoso.com", 5000, new Random(9)));

        var found = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.Equal(1, found.ExitCode);
        Assert.Contains("MIG0574", found.Error, StringComparison.Ordinal);
        Assert.Contains("1 messages are in the target more than once", found.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(foreign) && File.Exists(duplicate));

        File.Delete(duplicate);
        var clean = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(clean.ExitCode == 0, clean.All);
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public async Task Apply_walks_the_graph_a_dependent_migration_starts_after_the_join_node_of_its_dependency()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 40);
        const string later = "    - name: later\n      type: import\n      from: src\n      to: dst\n      mailboxSets: [users]\n      dependsOn: [copy]\n";
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("ordered", "maildir", "src", "out", Users, later));

        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");

        Assert.True(apply.ExitCode == 0, apply.All);
        await using var store = await SqliteStateStore.OpenAsync(temp.Combine(".migrate", "state.db"), CancellationToken.None);
        var steps = await store.GetStepsAsync("ordered", CancellationToken.None);
        var joined = steps["migration/copy"].FinishedAt!.Value;
        var laterSteps = steps.Values.Where(s => s.StepId.Split('/')[1] == "later" && s.Kind != "migration").ToList();
        Assert.NotEmpty(laterSteps);
        Assert.All(laterSteps, step => Assert.True(step.StartedAt >= joined, $"{step.StepId} started {step.StartedAt:O}, before migration/copy was done at {joined:O}"));
        Assert.True(steps["migration/later"].FinishedAt >= laterSteps.Max(s => s.FinishedAt));
        // The second migration found every message already there: nothing twice.
        Assert.Equal(expected["alice@contoso.com"].Order(), Corpus.HashMaildirTree(temp.Combine("out", "alice@contoso.com")).Order());
    }

    private static LedgerEntry LedgerEntry(string mailbox) => new()
    {
        Migration = "copy",
        Mailbox = mailbox,
        Folder = "INBOX",
        FolderValidity = 1,
        SourceId = "1",
        DedupKey = "k1",
        Size = 10,
        TargetFolder = "INBOX",
        Outcome = LedgerOutcomes.Copied,
        RunId = 1,
    };

    private static void RawExecute(string database, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
