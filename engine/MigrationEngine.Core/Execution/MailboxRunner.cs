using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Runs one mailbox through its steps in order: preflight of source and target (connected side by side), folders
/// ensured in the target, the copy (one or more passes), and verification. A failing mailbox fails alone; the source
/// host's limit bounds how many mailboxes of one server run at once, across migrations.
/// </summary>
internal sealed class MailboxRunner(RunContext run, ConcurrentDictionary<string, SemaphoreSlim> hostLimits)
{
    /// <summary>
    /// Runs the mailbox under its lease. When another apply holds the lease, returns null at once (the scheduler comes
    /// back to it when it has nothing else to do), or with <paramref name="waitForLease"/> waits for that holder to finish.
    /// </summary>
    public async Task<MailboxResult?> RunAsync(MigrationDefinition migration, MailboxEntry mailbox, bool waitForLease, CancellationToken cancellationToken)
    {
        var key = PlanCompiler.MailboxKey(mailbox);
        var result = new MailboxResult { Migration = migration.Name, Mailbox = key, SourceAddress = mailbox.SourceAddress };
        if (run.Options.StopRequested.IsCancellationRequested)
        {
            result.Outcome = MailboxOutcome.NotStarted;
            return result;
        }

        // Finished by another worker of the round, as the round's finished steps (read for many mailboxes at once) show.
        if (await WorkerRound.KnownFinishedAsync(run, migration, key, result, cancellationToken) is { } finishedBefore)
        {
            return finishedBefore;
        }

        var (keeper, claim) = await LeaseKeeper.ClaimAsync(run, migration.Name, key, waitForLease, run.Options.StopRequested, cancellationToken);
        if (keeper is null)
        {
            if (!waitForLease)
            {
                return null;
            }

            result.Outcome = MailboxOutcome.NotStarted;
            result.Diagnostics.Add(Diagnose.MailboxHeldElsewhere(migration.Location, key, migration.Name, claim?.HeldBy?.ToString() ?? "another apply"));
            return result;
        }

        await using (keeper)
        {
            if (claim?.Replaced is { } replaced)
            {
                var state = LeaseRules.StateOf(replaced, DateTimeOffset.UtcNow);
                run.Logger.Information("Mailbox {Mailbox}: took over the lease of {Holder} ({State})", key, replaced, LeaseRules.Describe(state));
                if (state == LeaseHolderState.Damaged)
                {
                    result.Diagnostics.Add(Diagnose.LeaseTakenOver(migration.Location, key, migration.Name, replaced, LeaseRules.Describe(state)));
                }
            }

            // A worker of this round finished it already: left as that worker left it.
            if (claim is not null && await WorkerRound.FinishedElsewhereAsync(run, migration, key, claim, result, cancellationToken) is { } finishedElsewhere)
            {
                return finishedElsewhere;
            }

            // Another apply ran the mailbox after this run read its step records (or, for a worker, since its round began): read them again.
            var readAt = run.Worker is { } worker && worker.Registration.RoundStartedAt < run.StartedAt ? worker.Registration.RoundStartedAt : run.StartedAt;
            if (claim?.LastActivity is { } lastActivity && lastActivity >= readAt)
            {
                await run.ReloadMailboxStepsAsync(migration.Name, key, cancellationToken);
            }

            using var leased = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, keeper.Lost);
            await RunLeasedAsync(migration, mailbox, key, result, keeper, leased.Token, cancellationToken);
            return result;
        }
    }

    /// <summary>Waits for <paramref name="task"/> and returns how it failed (null when it succeeded).</summary>
    private static async Task<Exception?> FailureOfAsync(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ex;
        }
    }

    private static async Task CopyPassesAsync(FolderCopier copier, IReadOnlyList<FolderAssignment> assignments, int passes, TargetFolderEnsurer ensurer,
        CancellationToken cancellationToken)
    {
        for (var pass = 1; pass <= passes; pass++)
        {
            await copier.CopyFoldersAsync(assignments, pass, cancellationToken, ensurer);
        }
    }

    private async Task RunLeasedAsync(MigrationDefinition migration, MailboxEntry mailbox, string key, MailboxResult result, LeaseKeeper keeper, CancellationToken cancellationToken,
        CancellationToken runCancellation)
    {
        var stepIds = PlanCompiler.MailboxStepIds(migration, key);
        // Apply converges: a mailbox already done gets the cursor-based delta pass (folders whose cursor has not moved are
        // neither listed nor copied), so mail that arrived since is copied by a plain re-run.
        var wasDone = stepIds.All(id => run.IsDone(run.Graph[id]));
        var delta = run.Options.Delta || wasDone;
        var clock = Stopwatch.StartNew();
        var source = run.Plan.Sources[migration.From];
        var target = run.Plan.Targets[migration.To];
        var log = run.Logger.ForContext("Plan", run.Plan.Name).ForContext("Migration", migration.Name).ForContext("Mailbox", key);
        var sourceContext = new MailboxContext(run.Plan, migration, source, mailbox, log);
        var targetContext = new MailboxContext(run.Plan, migration, target, mailbox, log) { TargetOwner = run.TargetOwner };
        var hostLimit = hostLimits.GetOrAdd(source.Host ?? source.Path ?? source.Type.Yaml(), _ => new SemaphoreSlim(run.Options.PerHostLimit));
        var currentStep = run.Graph[stepIds[0]];
        await hostLimit.WaitAsync(cancellationToken);
        var connections = new List<ConnectionPair>();
        var deferredEnds = new DeferredStepEnds();
        Task? targetOpening = null;
        try
        {
            var mailboxRun = new MailboxRun(run, migration, mailbox, key, sourceContext, targetContext, result, log) { Delta = delta, Lease = keeper, DeferredEnds = deferredEnds };
            var primary = new ConnectionPair(mailboxRun, run.Adapters);
            connections.Add(primary);
            var retry = RetryPolicy.Create(run.Options, log);
            log.Information("Mailbox {Mailbox}: {Source} ({SourceAddress}) -> {Target} ({TargetAddress})", key, migration.From, mailbox.SourceAddress, migration.To, mailbox.TargetAddress);

            var missing = new List<FolderVerification>();
            if (migration.MovesMail)
            {
                // The preflights change nothing anywhere and run again on every apply, so their records need no write of
                // their own: they go with the start of ensure-folders and the copy (DeferredStepEnds), with their own times.
                run.DeferStepStart(deferredEnds, currentStep);
                // The target connects while the source lists its folders; its failure is reported by its own step below.
                targetOpening = Task.Run(async () => await retry.ExecuteAsync(async ct => await primary.OpenTargetAsync(ct), cancellationToken), cancellationToken);
                await retry.ExecuteAsync(async ct => await primary.OpenSourceAsync(ct), cancellationToken);
                var folders = await retry.ExecuteAsync(
                    async ct =>
                    {
                        try
                        {
                            await primary.OpenSourceAsync(ct);
                            return await primary.Source!.ListFoldersAsync(ct);
                        }
                        catch (Exception ex) when (RetryPolicy.IsTransient(ex))
                        {
                            await primary.ReopenAsync(ct);
                            throw;
                        }
                    },
                    cancellationToken);
                run.DeferStepEnd(deferredEnds, currentStep, StepStatus.Succeeded, ExecutionJson.FolderCount(folders.Count));
                currentStep = run.Graph[stepIds[1]];
                run.DeferStepStart(deferredEnds, currentStep);
                run.Options.Observer.MailboxStarted(migration.Name, key, folders.All(f => f.MessageCount.HasValue) ? folders.Sum(f => (long)f.MessageCount!.Value) : null);

                var opening = targetOpening;
                targetOpening = null;
                await opening;
                var folderRules = new FolderRulesMatcher(migration.Folders);
                var assignments = folderRules.Assign(folders);
                result.Folders = assignments.Count;
                // The folders are created on the first pair while the other pairs copy those that exist (TargetFolderEnsurer):
                // preflight-target's end and the start of both are one write.
                var ensureStep = run.Graph[stepIds[2]];
                var copyStep = run.Graph[stepIds[3]];
                await run.SaveStepThenStartAsync(deferredEnds, currentStep, StepStatus.Succeeded, null, [ensureStep, copyStep], cancellationToken);
                currentStep = ensureStep;
                using (var copyStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var ensurer = TargetFolderEnsurer.Start(mailboxRun, primary, assignments, retry, copyStop.Token);
                    var copier = new FolderCopier(mailboxRun, run.Adapters, connections, retry);
                    var copying = CopyPassesAsync(copier, assignments, Math.Max(1, migration.Passes), ensurer, copyStop.Token);
                    if (await Task.WhenAny(ensurer.Completion, copying) == copying && !copying.IsCompletedSuccessfully)
                    {
                        // The copy failed (or was stopped) first: the creations stop with it.
                        await copyStop.CancelAsync();
                    }

                    var ensureFailure = await FailureOfAsync(ensurer.Completion);
                    if (ensureFailure is not null && !copying.IsFaulted && !copying.IsCanceled)
                    {
                        // The folders could not be created: that is the mailbox's failure (recorded by the catch below, in the
                        // ensure step); the copy stops and its step ends failed with the same cause rather than left running.
                        await copyStop.CancelAsync();
                        await FailureOfAsync(copying);
                        await run.SaveStepAsync(deferredEnds, copyStep, StepStatus.Failed, RetryPolicy.ToDiagnostic(ensureFailure, migration, key).Message, null, CancellationToken.None);
                        ExceptionDispatchInfo.Throw(ensureFailure);
                    }

                    if (ensureFailure is null)
                    {
                        // Written with the mailbox's next step write: folders ensured again after a crash are not created twice.
                        run.DeferStepEnd(deferredEnds, ensureStep, StepStatus.Succeeded, ExecutionJson.FolderCount(mailboxRun.TargetFolders.Count));
                    }
                    else
                    {
                        await run.SaveStepAsync(deferredEnds, ensureStep, StepStatus.Failed, StepDecisions.InterruptedError, null, CancellationToken.None);
                    }

                    currentStep = copyStep;
                    await copying;
                }

                await ExcludedFolders.CountAsync(mailboxRun, primary, folders, folderRules, cancellationToken);

                // The copy's end and the verify's start go with the verify's end: a crash in between leaves the copy not done,
                // and the next run lists its folders again (the ledger keeps each message from being copied twice).
                run.DeferStepEnd(deferredEnds, currentStep, StepStatus.Succeeded, ExecutionJson.Counters(result));
                currentStep = run.Graph[stepIds[4]];
                run.DeferStepStart(deferredEnds, currentStep);
                await new Verifier(mailboxRun, connections, retry).VerifyAsync(assignments, cancellationToken);
                missing = result.Verification.Where(v => v.Missing > 0 || v.Duplicates > 0).ToList();
                foreach (var folder in missing)
                {
                    result.Diagnostics.Add(folder.Missing > 0
                        ? Diagnose.VerifyMismatch(migration.Location, key, folder.TargetFolder, folder.Missing, folder.Expected)
                        : Diagnose.DuplicatesInTarget(migration.Location, key,
                            folder.TargetFolder, folder.Duplicates, string.Join(", ", folder.DuplicateKeys ?? []),
                                hint: "remove the extra copies in the target; the ledger and the source say each message once"));
                }

                var verifyJson = ExecutionJson.Verification(result.Verification);
                await run.SaveStepAsync(deferredEnds, currentStep, missing.Count == 0 ? StepStatus.Succeeded : StepStatus.Failed, missing.Count == 0 ? null : result.Diagnostics[^1].Message, verifyJson, cancellationToken);
            }
            else
            {
                run.Options.Observer.MailboxStarted(migration.Name, key, null);
            }

            // Contacts and calendars, after the mail (or alone): one step per item kind; a failing kind fails the mailbox, not the other kind.
            var itemsCopied = await new PimCopier(mailboxRun, retry, step => currentStep = step).CopyAsync(cancellationToken);
            result.Outcome = missing.Count > 0 || !itemsCopied ? MailboxOutcome.Failed
                : wasDone && result.Counters.Copied == 0 && result.Counters.FlagsUpdated == 0 && result.Counters.AlreadyPresent == 0 && result.Items.Written == 0 ? MailboxOutcome.Unchanged
                : MailboxOutcome.Succeeded;
        }
        catch (StopRequestedException)
        {
            result.Outcome = MailboxOutcome.Interrupted;
            await run.SaveStepAsync(deferredEnds, currentStep, StepStatus.Failed, StepDecisions.InterruptedError, null, CancellationToken.None);
        }
        catch (Exception) when (keeper.IsLost)
        {
            // Another holder may be running the mailbox now: nothing more is written for it, not even its step.
            var diagnostic = Diagnose.LeaseLost(migration.Location, key, migration.Name,
                "its lease was lost: " + (keeper.LostReason ?? "unknown reason"),
                    hint: "run apply again when the other holder is done: it converges without duplicates");
            log.Error("Mailbox {Mailbox} stopped in step {Step}: {Message}", key, currentStep.Id, diagnostic.Message);
            result.Diagnostics.Add(diagnostic);
            result.Outcome = MailboxOutcome.Failed;
        }
        catch (OperationCanceledException) when (runCancellation.IsCancellationRequested)
        {
            result.Outcome = MailboxOutcome.Interrupted;
            run.Summary.Interrupted = true;
        }
        catch (Exception ex)
        {
            var diagnostic = RetryPolicy.ToDiagnostic(ex, migration, key);
            log.Error("Mailbox {Mailbox} failed in step {Step}: {Message}", key, currentStep.Id, diagnostic.Message);
            if (ex is not MigrationException and not SecretUnavailableException)
            {
                log.Debug(ex, "Unexpected failure detail");
            }

            result.Diagnostics.Add(diagnostic);
            result.Outcome = MailboxOutcome.Failed;
            await run.SaveStepAsync(deferredEnds, currentStep, StepStatus.Failed, diagnostic.Message, null, CancellationToken.None);
        }
        finally
        {
            if (targetOpening is not null)
            {
                // The source failed first: let the target's connection attempt end before its worker is closed.
                try
                {
                    await targetOpening;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    log.Debug("The target connection opened beside a failed source ended too: {Message}", ex.Message);
                }
            }

            // All pairs close at once: closed one after another, each polite close cost a round trip of the mailbox's time.
            await Task.WhenAll(connections.Select(connection => connection.DisposeAsync().AsTask()));

            hostLimit.Release();
            result.Duration = clock.Elapsed;
        }
    }
}
