using MigrationEngine.State.Postgres.Tests;
using Npgsql;
using Xunit.Abstractions;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// One plan applied by several worker processes sharing a PostgreSQL state, Dovecot to Dovecot: each mailbox is run by one
/// worker at a time (from the lease history), every message arrives once and byte-identical, a SIGKILLed worker's mailboxes
/// are finished by the others from the ledger, and the last worker alone renders the reports.
/// </summary>
[Collection(DovecotCollection.Name)]
[Trait("Category", "Server")]
public sealed class WorkersOnDovecotTests(DovecotFixture dovecot, PostgresCluster postgres, ITestOutputHelper output) : IClassFixture<PostgresCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Four_workers_share_24_mailboxes_one_holder_at_a_time_and_copy_every_message_once()
    {
        const int Messages = 60;
        var plan = await WorkerPlan.CreateAsync(dovecot, postgres, "workers4", 24, Messages, 200, "", "concurrency:\n  mailboxes: 2\n  connectionsPerMailbox: 1");
        try
        {
            var workers = Enumerable.Range(0, 4).Select(_ => plan.StartWorker(4)).ToList();
            var exits = await Task.WhenAll(workers.Select(w => w.WaitAsync(Timeout)));
            foreach (var worker in workers)
            {
                output.WriteLine($"---- worker pid {worker.Pid}\n{worker.Output}");
                worker.Dispose();
            }

            Assert.True(exits.All(e => e == 0), "exit codes: " + string.Join(", ", exits));
            plan.AssertEveryMessageOnce(dovecot, Messages);
            var copied = await plan.LedgerRunsAsync(postgres, copiedOnly: true);
            Assert.Equal(24, copied.Count);
            Assert.All(copied, pair => Assert.Equal(Messages, pair.Value.Count));
            // Each mailbox was copied by one worker, and the work was shared.
            Assert.All(copied, pair => Assert.Single(pair.Value.Distinct()));
            var byRun = copied.GroupBy(pair => pair.Value[0]).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine("mailboxes copied per worker run: " + string.Join(", ", byRun.Select(p => $"run {p.Key}: {p.Value}")));
            Assert.True(byRun.Count >= 2, $"only {byRun.Count} worker copied mailboxes");
            await plan.AssertOneHolderAtATimeAsync(postgres, output);

            // The reports were rendered once, by the last worker; the others said so.
            Assert.Equal(1, workers.Count(w => w.Output.Contains("Report written: out/summary.md", StringComparison.Ordinal)));
            Assert.Equal(3, workers.Count(w => w.Output.Contains("MIG1453", StringComparison.Ordinal)));
            Assert.True(File.Exists(Path.Combine(plan.Folder, "out", "summary.md")));

            // status shows the workers of the round and the queue, all done.
            var status = await PlanEndToEndTests.RunCliAsync(output, plan.PlanFile, "status", "--state", plan.StateUrl);
            Assert.True(status.Exit == 0, status.Text);
            Assert.Contains("Queue: 0 runnable, 0 running, 0 waiting on dependencies, 24 done, 0 failed", status.Text, StringComparison.Ordinal);
            Assert.Equal(4, status.Text.Split('\n').Count(line => line.Contains("finished (succeeded)", StringComparison.Ordinal)));
        }
        finally
        {
            Directory.Delete(plan.Folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_worker_that_joins_after_the_round_finished_every_mailbox_skips_them_without_claiming_one()
    {
        const int Messages = 4;
        var plan = await WorkerPlan.CreateAsync(dovecot, postgres, "workersjoin", 4, Messages, 100, "", "concurrency:\n  mailboxes: 2\n  connectionsPerMailbox: 1");
        try
        {
            // Two workers expected: the round stays open for the second, which starts only when the first is done.
            using var first = plan.StartWorker(2);
            Assert.True(await first.WaitAsync(Timeout) == 0, first.Output);
            using var second = plan.StartWorker(2);
            Assert.True(await second.WaitAsync(Timeout) == 0, second.Output);
            output.WriteLine($"---- first worker pid {first.Pid}\n{first.Output}\n---- second worker pid {second.Pid}\n{second.Output}");

            plan.AssertEveryMessageOnce(dovecot, Messages);
            // The round's finished steps (one query) told the second worker that every mailbox was done: it took no lease,
            // so each mailbox was held once, by the first worker.
            var history = await plan.AssertOneHolderAtATimeAsync(postgres, output);
            Assert.All(plan.Pairs, pair => Assert.Equal(first.Pid, Assert.Single(history[pair.Target.Address.ToLowerInvariant()]).Pid));
            Assert.Contains("Report written: out/summary.md", second.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(plan.Folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_SIGKILLed_worker_loses_its_mailboxes_to_the_others_who_finish_them_without_duplicate_or_loss()
    {
        const int Messages = 400;
        var plan = await WorkerPlan.CreateAsync(dovecot, postgres, "workerkill", 8, Messages, 2000, "", "concurrency:\n  mailboxes: 2\n  connectionsPerMailbox: 1");
        try
        {
            var workers = Enumerable.Range(0, 4).Select(_ => plan.StartWorker(4)).ToList();
            // Mid-copy: a worker that holds a mailbox of which some, not all, messages are recorded.
            var victim = await WaitForMidCopyHolderAsync(plan, workers, Messages);
            output.WriteLine($"killing worker pid {victim.Pid}");
            victim.Kill();
            var survivors = workers.Where(w => w != victim).ToList();
            var exits = await Task.WhenAll(survivors.Select(w => w.WaitAsync(Timeout)));
            foreach (var worker in workers)
            {
                output.WriteLine($"---- worker pid {worker.Pid}{(worker == victim ? " (killed)" : string.Empty)}\n{worker.Output}");
            }

            Assert.True(exits.All(e => e == 0), "exit codes: " + string.Join(", ", exits));
            plan.AssertEveryMessageOnce(dovecot, Messages);
            // Each message is in the ledger once: copied, or (appended by the victim just before it died) found already present.
            var recorded = await plan.LedgerRunsAsync(postgres, copiedOnly: false);
            Assert.Equal(8, recorded.Count);
            Assert.All(recorded, pair => Assert.Equal(Messages, pair.Value.Count));
            var history = await plan.AssertOneHolderAtATimeAsync(postgres, output);
            // The victim's holding was taken over by a survivor, which finished the mailbox.
            var takenOver = history.Values.Where(h => h.Any(x => x.Pid == victim.Pid && x.How == "taken over")).ToList();
            Assert.NotEmpty(takenOver);
            Assert.All(takenOver, h => Assert.Contains(h, x => x.Pid != victim.Pid && x.How == "released"));
            Assert.Equal(1, survivors.Count(w => w.Output.Contains("Report written: out/summary.md", StringComparison.Ordinal)));
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
        finally
        {
            Directory.Delete(plan.Folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_host_cap_of_6_holds_across_4_workers_of_4_mailboxes_each_as_a_proxy_in_front_of_Dovecot_counts_our_connections()
    {
        const int Messages = 120;
        // The sources connect through a proxy that counts their connections as Dovecot has them (ConnectionCountingProxy):
        // one is open from its accept until Dovecot closes it, independently of the workers' slots.
        await using var sourceConnections = new ConnectionCountingProxy(dovecot.PlainPort);
        var plan = await WorkerPlan.CreateAsync(dovecot, postgres, "workercap", 16, Messages, 3000, "maxConnections: 6", "concurrency:\n  mailboxes: 4\n  connectionsPerMailbox: 1",
            sourcePort: sourceConnections.Port);
        try
        {
            var logStart = new FileInfo(dovecot.LogFile).Length;
            // No worker dies here: 60 s leases, so that a worker starved on a loaded machine keeps its slots (with 6 s, a
            // heartbeat late by 4 s lets them lapse while its connections are open, and another worker's fill the cap).
            var workers = Enumerable.Range(0, 4).Select(_ => plan.StartWorker(4, leaseSeconds: 60)).ToList();
            var exits = await Task.WhenAll(workers.Select(w => w.WaitAsync(Timeout)));
            foreach (var worker in workers)
            {
                output.WriteLine($"---- worker pid {worker.Pid}\n{worker.Output}");
                worker.Dispose();
            }

            Assert.True(exits.All(e => e == 0), "exit codes: " + string.Join(", ", exits));
            var sources = plan.Pairs.Select(p => p.Source.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var sessions = DovecotSessions.Count(dovecot.LogFile, logStart, sources);
            plan.AssertEveryMessageOnce(dovecot, Messages);

            var (connections, peak) = (sourceConnections.Connections, sourceConnections.Peak);
            output.WriteLine($"Dovecot logged {sessions} source sessions; the proxy saw {connections} source connections, at most {peak} at once");
            Assert.True(sessions >= 16, $"only {sessions} source sessions in Dovecot's log");
            Assert.True(connections >= 16, $"only {connections} source connections through the proxy");
            Assert.InRange(peak, 2, 6);
        }
        finally
        {
            Directory.Delete(plan.Folder, recursive: true);
        }
    }

    private async Task<WorkerProcess> WaitForMidCopyHolderAsync(WorkerPlan plan, List<WorkerProcess> workers, int messages)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await using var connection = new NpgsqlConnection(postgres.AdminConnectionString(plan.Database));
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("""
                    SELECT l.pid, count(g.id) FROM migration_engine.mailbox_leases l
                    JOIN migration_engine.ledger g ON g.plan = l.plan AND g.migration = l.migration AND g.mailbox = l.mailbox
                    WHERE l.host IS NOT NULL GROUP BY l.pid, l.mailbox
                    """, connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var count = reader.GetInt64(1);
                    if (count > 0 && count < messages * 3 / 4 && workers.FirstOrDefault(w => w.Pid == reader.GetInt32(0)) is { } holder)
                    {
                        return holder;
                    }
                }
            }
            catch (PostgresException ex) when (ex.SqlState == "42P01")
            {
                // The workers have not made the schema yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no worker was seen mid-copy: " + string.Join("\n----\n", workers.Select(w => w.Output)));
    }
}
