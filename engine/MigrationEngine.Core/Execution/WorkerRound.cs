using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// What a worker does with a mailbox it just claimed that another worker of the same round has already run: it reads that
/// mailbox's own step records (not the plan's) and leaves a mailbox finished in this round as it is, done or failed, instead
/// of running it again. A mailbox its previous holder left unfinished (killed, lease lost) is run from the ledger.
/// </summary>
internal static class WorkerRound
{
    /// <summary>
    /// Before claiming: the result to report when the round's finished steps (read once for many mailboxes, see
    /// <see cref="WorkerSession.FinishedStepsAsync"/>) show another worker finished the mailbox; null to claim it. Spares
    /// the claim, the read of its steps and the release for each mailbox the others have done.
    /// </summary>
    public static async Task<MailboxResult?> KnownFinishedAsync(RunContext run, MigrationDefinition migration, string key, MailboxResult result, CancellationToken cancellationToken)
    {
        if (run.Worker is not { } worker)
        {
            return null;
        }

        var finished = await worker.FinishedStepsAsync(cancellationToken);
        var ids = StepIds(migration, key);
        var records = ids.Where(finished.ContainsKey).ToDictionary(id => id, id => finished[id], StringComparer.Ordinal);
        return records.Count == 0 ? null : Judge(run, worker, migration, key, ids, records, result);
    }

    /// <summary>After claiming: the result to report when the mailbox was finished in this round by another worker; null to run it here.</summary>
    public static async Task<MailboxResult?> FinishedElsewhereAsync(RunContext run, MigrationDefinition migration, string key, LeaseClaim claim, MailboxResult result,
        CancellationToken cancellationToken)
    {
        if (run.Worker is not { } worker || claim.LastActivity is not { } lastActivity || lastActivity < worker.Registration.RoundStartedAt)
        {
            return null;
        }

        var ids = StepIds(migration, key);
        return Judge(run, worker, migration, key, ids, await worker.Store.GetStepRecordsAsync(run.Plan.Name, ids, cancellationToken), result);
    }

    private static string[] StepIds(MigrationDefinition migration, string key) => PlanCompiler.MailboxStepIds(migration, key).ToArray();

    /// <summary>Done when every step is done and verification finished in this round; failed when a step failed in this round; else null.</summary>
    private static MailboxResult? Judge(RunContext run, WorkerSession worker, MigrationDefinition migration, string key, string[] ids,
        IReadOnlyDictionary<string, StepRecord> records, MailboxResult result)
    {
        var roundStart = worker.Registration.RoundStartedAt;
        var steps = ids.Select(id => run.Graph[id]).ToList();
        // A step the mailbox's last run did not repeat (done before the round) is judged by the record this run read at its start.
        var done = records.TryGetValue(ids[^1], out var verified) && verified.FinishedAt >= roundStart
            && steps.All(step => StepDecisions.IsDone(step, records.GetValueOrDefault(step.Id) ?? run.Steps.GetValueOrDefault(step.Id)));
        var failed = steps.FirstOrDefault(step => records.TryGetValue(step.Id, out var record)
            && StepDecisions.Of(step, record) == StepProgress.Failed && record.FinishedAt >= roundStart);
        if (!done && failed is null)
        {
            return null;
        }

        foreach (var (id, record) in records)
        {
            run.Steps[id] = record;
        }

        if (done)
        {
            result.Outcome = MailboxOutcome.DoneByOtherWorker;
            return result;
        }

        result.Outcome = MailboxOutcome.Failed;
        result.Diagnostics.Add(Diagnose.FailedInOtherWorker(migration.Location, key, migration.Name,
            records[failed!.Id].Error ?? "no error recorded", hint: "see that worker's log; the next apply runs the mailbox again"));
        return result;
    }

    /// <summary>
    /// Runs a migration-wide part once across workers: the first worker takes the migration's own lease and runs it, the
    /// others wait for it and then find its steps done (or resume them, when that worker died). Without workers it just runs.
    /// </summary>
    public static async Task<bool> UnderMigrationLeaseAsync(RunContext run, MigrationDefinition migration, Func<Task<bool>> work, CancellationToken cancellationToken)
    {
        if (run.Worker is not { } worker)
        {
            return await work();
        }

        var (keeper, claim) = await LeaseKeeper.ClaimAsync(run, migration.Name, WorkerLeaseKeys.Migration, wait: true, run.Options.StopRequested, cancellationToken);
        if (keeper is null)
        {
            return false;
        }

        await using (keeper)
        {
            if (claim?.LastActivity is { } lastActivity && lastActivity >= worker.Registration.RoundStartedAt)
            {
                foreach (var (id, record) in await run.State.GetStepsAsync(run.Plan.Name, cancellationToken))
                {
                    run.Steps[id] = record;
                }
            }

            return await work();
        }
    }
}
