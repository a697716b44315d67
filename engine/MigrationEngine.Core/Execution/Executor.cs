using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using Serilog;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Execute stage: runs the graph's steps through the adapters, recording steps and the per-message ledger.
/// Safe to kill at any instant: a message is recorded after it was appended, and before appending, a message
/// the ledger does not know is looked up in the target, so a re-run neither loses nor duplicates mail.
/// </summary>
public sealed class Executor(IStateStore state, AdapterRegistry adapters, ILogger logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hostLimits = new(StringComparer.OrdinalIgnoreCase);

    public async Task<RunSummary> ApplyAsync(PlanModel plan, ExecutionGraph graph, ExecutionOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var targetRequests = adapters.TargetRequestsSent;
        var runId = await state.StartRunAsync(plan.Name, options.Command, cancellationToken);
        var summary = new RunSummary { RunId = runId, PlanName = plan.Name };
        var startedAt = DateTimeOffset.UtcNow;
        // With a shared state this apply is one worker of the plan's round (docs/workers.md).
        await using var worker = await WorkerSession.StartAsync(state, plan.Name, options, logger, cancellationToken);
        options = worker is null ? options : options with { Observer = new WorkerCountingObserver(options.Observer, worker) };
        var steps = new ConcurrentDictionary<string, StepRecord>(await state.GetStepsAsync(plan.Name, cancellationToken), StringComparer.Ordinal);
        var run = new RunContext(state, adapters, logger, plan, graph, options, runId, steps, summary)
        {
            StartedAt = startedAt,
            TargetOwner = await TargetOwner.OfStateAsync(state, plan.Name, options.StateLocation, cancellationToken),
            Worker = worker,
            HostSlots = new HostSlotGate(worker, logger),
        };
        var migrationTasks = new Dictionary<string, Task<bool>>(StringComparer.Ordinal);
        var stepsByMigration = graph.Steps.ToLookup(s => s.Migration, StringComparer.Ordinal);
        var migrations = plan.Migrations.ToDictionary(m => m.Name, StringComparer.Ordinal);
        // The compiled graph decides the order: its steps come in topological order, and a migration starts when the join
        // nodes (migration/<name>) of other migrations that its steps depend on are done.
        foreach (var join in graph.Steps.Where(s => s.Kind == StepKind.MigrationDone))
        {
            var dependencies = stepsByMigration[join.Migration]
                .SelectMany(s => s.DependsOn)
                .Where(id => graph.Contains(id) && graph[id] is { Kind: StepKind.MigrationDone } other && other.Migration != join.Migration)
                .Select(id => graph[id].Migration)
                .Distinct(StringComparer.Ordinal)
                .Select(name => (name, migrationTasks[name]))
                .ToList();
            migrationTasks[join.Migration] = RunMigrationAsync(run, migrations[join.Migration], dependencies, cancellationToken);
        }

        await Task.WhenAll(migrationTasks.Values);
        summary.Interrupted |= options.StopRequested.IsCancellationRequested;
        if (summary.Interrupted)
        {
            summary.Diagnostics.Add(Diagnose.Interrupted(SourceLocation.None(plan.PlanFile)));
        }

        summary.Duration = clock.Elapsed;
        summary.TargetRequests = adapters.TargetRequestsSent - targetRequests is > 0 and var sent ? sent : null;
        var outcome = summary.Interrupted ? "interrupted" : summary.Succeeded ? "succeeded" : "failed";
        await state.FinishRunAsync(runId, outcome, ExecutionJson.Summary(summary), CancellationToken.None);
        if (worker is not null)
        {
            summary.Worker = new WorkerOutcome(worker.Registration.WorkerId, worker.Registration.RoundId, await worker.FinishAsync(outcome));
        }

        run.TargetOwner?.EndRun();
        return summary;
    }

    private async Task<bool> RunMigrationAsync(RunContext run, MigrationDefinition migration, List<(string Name, Task<bool> Task)> dependencies, CancellationToken cancellationToken)
    {
        var mailboxes = PlanCompiler.MailboxesOf(run.Plan, migration);
        foreach (var (name, task) in dependencies)
        {
            if (!await task)
            {
                lock (run.Summary)
                {
                    run.Summary.Diagnostics.Add(Diagnose.DependencyFailed(migration.Location, migration.Name, name));
                    foreach (var mailbox in mailboxes)
                    {
                        run.Summary.Mailboxes.Add(new MailboxResult
                        {
                            Migration = migration.Name,
                            Mailbox = PlanCompiler.MailboxKey(mailbox),
                            SourceAddress = mailbox.SourceAddress,
                            Outcome = MailboxOutcome.NotStarted,
                        });
                    }
                }

                return false;
            }
        }

        if (PlanCompiler.IsExchangeNative(run.Plan, migration))
        {
            // Not per mailbox: with workers, one of them runs the migration's batches under a lease of its own.
            return await WorkerRound.UnderMigrationLeaseAsync(run, migration, () => RunNativeMigrationAsync(run, migration, cancellationToken), cancellationToken);
        }

        var results = new ConcurrentBag<MailboxResult>();
        var heldElsewhere = new ConcurrentQueue<MailboxEntry>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, migration.Concurrency.Mailboxes), CancellationToken = CancellationToken.None };
        var runner = new MailboxRunner(run, _hostLimits);
        // Mailboxes another apply of the plan holds are left to it; once this run has nothing else to do it waits for
        // each of them and brings it up to date (usually a no-op delta pass), so every apply ends with the plan converged.
        foreach (var (batch, wait) in new (IEnumerable<MailboxEntry> Batch, bool Wait)[] { (mailboxes, false), (heldElsewhere, true) })
        {
            await Parallel.ForEachAsync(batch, parallel, async (mailbox, _) =>
            {
                var result = await runner.RunAsync(migration, mailbox, wait, cancellationToken);
                if (result is null)
                {
                    heldElsewhere.Enqueue(mailbox);
                    return;
                }

                results.Add(result);
                run.Options.Observer.MailboxFinished(result);
            });
        }

        lock (run.Summary)
        {
            run.Summary.Mailboxes.AddRange(results.OrderBy(r => r.Mailbox, StringComparer.Ordinal));
        }

        var succeeded = results.All(r => r.Outcome is MailboxOutcome.Succeeded or MailboxOutcome.Unchanged);
        if (succeeded && !run.Options.StopRequested.IsCancellationRequested)
        {
            var done = run.Graph[$"migration/{migration.Name}"];
            await run.SaveStepAsync(done, StepStatus.Succeeded, null, null, CancellationToken.None);
        }

        return succeeded;
    }

    private async Task<bool> RunNativeMigrationAsync(RunContext run, MigrationDefinition migration, CancellationToken cancellationToken)
    {
        if (adapters.Native is null)
        {
            lock (run.Summary)
            {
                run.Summary.Diagnostics.Add(Diagnose.NotImplementedHere(
                    migration.Location, migration.Type.Yaml(), migration.Name,
                    "this build has no executor for Exchange Online migration batches",
                        hint: "run it with Microsoft's migration batches, or change the migration to an engine-driven type"));
            }

            return false;
        }

        var steps = run.Graph.Steps.Where(s => s.Migration == migration.Name && s.Kind != StepKind.MigrationDone).ToList();
        var context = new NativeMigrationContext(
            run.Plan,
            migration,
            steps,
            run.Steps,
            (step, status, error, result) => run.SaveStepAsync(step, status, error, result, CancellationToken.None),
            state,
            logger.ForContext("Plan", run.Plan.Name).ForContext("Migration", migration.Name));
        var diagnostics = await adapters.Native.RunAsync(context, cancellationToken);
        lock (run.Summary)
        {
            run.Summary.Diagnostics.AddRange(diagnostics);
        }

        var succeeded = !diagnostics.Any(d => d.IsError) && steps.All(run.IsDone);
        if (succeeded)
        {
            await run.SaveStepAsync(run.Graph[$"migration/{migration.Name}"], StepStatus.Succeeded, null, null, CancellationToken.None);
        }

        return succeeded;
    }

    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GB",
        >= 1024L * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
