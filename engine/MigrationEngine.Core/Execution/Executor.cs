using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;
using MigrationEngine.Core.State;
using Polly;
using Polly.Retry;
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
        var runId = await state.StartRunAsync(plan.Name, options.Command, cancellationToken);
        var summary = new RunSummary { RunId = runId, PlanName = plan.Name };
        var steps = new ConcurrentDictionary<string, StepRecord>(await state.GetStepsAsync(plan.Name, cancellationToken), StringComparer.Ordinal);
        var run = new RunContext(plan, graph, options, runId, steps, summary);
        var migrationTasks = new Dictionary<string, Task<bool>>(StringComparer.Ordinal);
        foreach (var migration in PlanCompiler.OrderByDependencies(plan.Migrations))
        {
            var dependencies = migration.DependsOn.Where(migrationTasks.ContainsKey).Select(d => (d, migrationTasks[d])).ToList();
            migrationTasks[migration.Name] = RunMigrationAsync(run, migration, dependencies, cancellationToken);
        }

        await Task.WhenAll(migrationTasks.Values);
        summary.Interrupted |= options.StopRequested.IsCancellationRequested;
        if (summary.Interrupted)
        {
            summary.Diagnostics.Add(DiagnosticCatalog.Interrupted.Create(SourceLocation.None(plan.PlanFile)));
        }

        summary.Duration = clock.Elapsed;
        var outcome = summary.Interrupted ? "interrupted" : summary.Succeeded ? "succeeded" : "failed";
        await state.FinishRunAsync(runId, outcome, ExecutionJson.Summary(summary), CancellationToken.None);
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
                    run.Summary.Diagnostics.Add(DiagnosticCatalog.DependencyFailed.Create(migration.Location, null, migration.Name, name));
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
            return await RunNativeMigrationAsync(run, migration, cancellationToken);
        }

        var results = new ConcurrentBag<MailboxResult>();
        await Parallel.ForEachAsync(
            mailboxes,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, migration.Concurrency.Mailboxes), CancellationToken = CancellationToken.None },
            async (mailbox, _) =>
            {
                var result = await RunMailboxAsync(run, migration, mailbox, cancellationToken);
                results.Add(result);
                run.Options.Observer.MailboxFinished(result);
            });

        lock (run.Summary)
        {
            run.Summary.Mailboxes.AddRange(results.OrderBy(r => r.Mailbox, StringComparer.Ordinal));
        }

        var succeeded = results.All(r => r.Outcome is MailboxOutcome.Succeeded or MailboxOutcome.Unchanged);
        if (succeeded && !run.Options.StopRequested.IsCancellationRequested)
        {
            var done = run.Graph[$"migration/{migration.Name}"];
            await SaveStepAsync(run, done, StepStatus.Succeeded, null, null, CancellationToken.None);
        }

        return succeeded;
    }

    private async Task<bool> RunNativeMigrationAsync(RunContext run, MigrationDefinition migration, CancellationToken cancellationToken)
    {
        if (adapters.Native is null)
        {
            lock (run.Summary)
            {
                run.Summary.Diagnostics.Add(DiagnosticCatalog.NotImplementedHere.Create(
                    migration.Location, "run it with Microsoft's migration batches, or change the migration to an engine-driven type", migration.Type, migration.Name,
                    "this build has no executor for Exchange Online migration batches"));
            }

            return false;
        }

        var steps = run.Graph.Steps.Where(s => s.Migration == migration.Name && s.Kind != StepKind.MigrationDone).ToList();
        var context = new NativeMigrationContext(
            run.Plan,
            migration,
            steps,
            run.Steps,
            (step, status, error, result) => SaveStepAsync(run, step, status, error, result, CancellationToken.None),
            state,
            logger.ForContext("Plan", run.Plan.Name).ForContext("Migration", migration.Name));
        var diagnostics = await adapters.Native.RunAsync(context, cancellationToken);
        lock (run.Summary)
        {
            run.Summary.Diagnostics.AddRange(diagnostics);
        }

        var succeeded = !diagnostics.Any(d => d.IsError) && steps.All(s => IsDone(run, s));
        if (succeeded)
        {
            await SaveStepAsync(run, run.Graph[$"migration/{migration.Name}"], StepStatus.Succeeded, null, null, CancellationToken.None);
        }

        return succeeded;
    }

    private async Task<MailboxResult> RunMailboxAsync(RunContext run, MigrationDefinition migration, MailboxEntry mailbox, CancellationToken cancellationToken)
    {
        var key = PlanCompiler.MailboxKey(mailbox);
        var result = new MailboxResult { Migration = migration.Name, Mailbox = key, SourceAddress = mailbox.SourceAddress };
        var prefix = $"/{migration.Name}/{key}";
        var stepIds = new[] { "preflight-source", "preflight-target", "ensure-folders", "copy", "verify" }.Select(k => k + prefix).ToArray();
        if (!run.Options.Delta && stepIds.All(id => IsDone(run, run.Graph[id])))
        {
            result.Outcome = MailboxOutcome.Unchanged;
            return result;
        }

        if (run.Options.StopRequested.IsCancellationRequested)
        {
            result.Outcome = MailboxOutcome.NotStarted;
            return result;
        }

        var clock = Stopwatch.StartNew();
        var source = run.Plan.Sources[migration.From];
        var target = run.Plan.Targets[migration.To];
        var log = logger.ForContext("Plan", run.Plan.Name).ForContext("Migration", migration.Name).ForContext("Mailbox", key);
        var sourceContext = new MailboxContext(run.Plan, migration, source, mailbox, log);
        var targetContext = new MailboxContext(run.Plan, migration, target, mailbox, log);
        var hostLimit = _hostLimits.GetOrAdd(source.Host ?? source.Path ?? source.Type, _ => new SemaphoreSlim(run.Options.PerHostLimit));
        var currentStep = run.Graph[stepIds[0]];
        await hostLimit.WaitAsync(cancellationToken);
        var workers = new List<Worker>();
        Task? targetOpening = null;
        try
        {
            var mailboxRun = new MailboxRun(state, run, migration, mailbox, key, sourceContext, targetContext, result, log);
            var primary = new Worker(mailboxRun, adapters);
            workers.Add(primary);
            var retry = RetryPipeline(run.Options, log);
            log.Information("Mailbox {Mailbox}: {Source} ({SourceAddress}) -> {Target} ({TargetAddress})", key, migration.From, mailbox.SourceAddress, migration.To, mailbox.TargetAddress);

            await SaveStepAsync(run, currentStep, StepStatus.Running, null, null, cancellationToken);
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
                    catch (Exception ex) when (IsTransient(ex))
                    {
                        await primary.ReopenAsync(ct);
                        throw;
                    }
                },
                cancellationToken);
            await SaveStepAsync(run, currentStep, StepStatus.Succeeded, null, ExecutionJson.FolderCount(folders.Count), cancellationToken);
            run.Options.Observer.MailboxStarted(migration.Name, key, folders.All(f => f.MessageCount.HasValue) ? folders.Sum(f => (long)f.MessageCount!.Value) : null);

            currentStep = run.Graph[stepIds[1]];
            await SaveStepAsync(run, currentStep, StepStatus.Running, null, null, cancellationToken);
            var opening = targetOpening;
            targetOpening = null;
            await opening;
            await SaveStepAsync(run, currentStep, StepStatus.Succeeded, null, null, cancellationToken);

            currentStep = run.Graph[stepIds[2]];
            await SaveStepAsync(run, currentStep, StepStatus.Running, null, null, cancellationToken);
            var assignments = new FolderRulesMatcher(migration.Folders).Assign(folders);
            result.Folders = assignments.Count;
            foreach (var assignment in assignments.OrderBy(a => a.TargetPath.Count(c => c == '/')).ThenBy(a => a.TargetPath, StringComparer.Ordinal))
            {
                if (!mailboxRun.TargetFolders.ContainsKey(assignment.TargetPath))
                {
                    mailboxRun.TargetFolders[assignment.TargetPath] = await retry.ExecuteAsync(
                        async ct =>
                        {
                            await primary.OpenTargetAsync(ct);
                            return await primary.Target!.EnsureFolderAsync(assignment.TargetPath, assignment.SpecialUse, ct);
                        },
                        cancellationToken);
                }
            }

            await SaveStepAsync(run, currentStep, StepStatus.Succeeded, null, ExecutionJson.FolderCount(mailboxRun.TargetFolders.Count), cancellationToken);

            currentStep = run.Graph[stepIds[3]];
            await SaveStepAsync(run, currentStep, StepStatus.Running, null, null, cancellationToken);
            var passes = Math.Max(1, migration.Passes);
            for (var pass = 1; pass <= passes; pass++)
            {
                await CopyFoldersAsync(mailboxRun, assignments, workers, retry, pass, cancellationToken);
            }

            await SaveStepAsync(run, currentStep, StepStatus.Succeeded, null, ExecutionJson.Counters(result), cancellationToken);

            currentStep = run.Graph[stepIds[4]];
            await SaveStepAsync(run, currentStep, StepStatus.Running, null, null, cancellationToken);
            await VerifyAsync(mailboxRun, assignments, workers, retry, cancellationToken);
            var missing = result.Verification.Where(v => v.Missing > 0).ToList();
            foreach (var folder in missing)
            {
                result.Diagnostics.Add(DiagnosticCatalog.VerifyMismatch.Create(migration.Location, null, key, folder.TargetFolder, folder.Missing, folder.Expected));
            }

            var verifyJson = ExecutionJson.Verification(result.Verification);
            await SaveStepAsync(run, currentStep, missing.Count == 0 ? StepStatus.Succeeded : StepStatus.Failed, missing.Count == 0 ? null : result.Diagnostics[^1].Message, verifyJson, cancellationToken);
            result.Outcome = missing.Count == 0 ? MailboxOutcome.Succeeded : MailboxOutcome.Failed;
        }
        catch (StopRequestedException)
        {
            result.Outcome = MailboxOutcome.NotStarted;
            await SaveStepAsync(run, currentStep, StepStatus.Failed, "interrupted", null, CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result.Outcome = MailboxOutcome.NotStarted;
            run.Summary.Interrupted = true;
        }
        catch (Exception ex)
        {
            var diagnostic = ToDiagnostic(ex, migration, key);
            log.Error("Mailbox {Mailbox} failed in step {Step}: {Message}", key, currentStep.Id, diagnostic.Message);
            if (ex is not MigrationException and not SecretUnavailableException)
            {
                log.Debug(ex, "Unexpected failure detail");
            }

            result.Diagnostics.Add(diagnostic);
            result.Outcome = MailboxOutcome.Failed;
            await SaveStepAsync(run, currentStep, StepStatus.Failed, diagnostic.Message, null, CancellationToken.None);
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

            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }

            hostLimit.Release();
            result.Duration = clock.Elapsed;
        }

        return result;
    }

    private async Task CopyFoldersAsync(MailboxRun mailboxRun, IReadOnlyList<FolderAssignment> assignments, List<Worker> workers, ResiliencePipeline retry, int pass, CancellationToken cancellationToken)
    {
        var run = mailboxRun.Run;
        // Largest folders first, so that the last folder to finish is a small one; but with labelCopies: once the source's
        // folder order decides which label folder a message is copied from.
        var queue = new ConcurrentQueue<FolderAssignment>(mailboxRun.CopiesLabelsOnce
            ? assignments
            : assignments.OrderByDescending(a => a.Source.MessageCount ?? 0));
        var workerCount = Math.Max(1, Math.Min(mailboxRun.Migration.Concurrency.ConnectionsPerMailbox, assignments.Count));
        while (workers.Count < workerCount)
        {
            workers.Add(new Worker(mailboxRun, adapters));
        }

        var copyStep = run.Graph[$"copy/{mailboxRun.Migration.Name}/{mailboxRun.Key}"];
        async Task Work(Worker worker)
        {
            while (queue.TryDequeue(out var assignment))
            {
                var folderStepId = $"{copyStep.Id}/{assignment.Source.Path}";
                if (pass == 1 && !run.Options.Delta && run.Steps.TryGetValue(folderStepId, out var record)
                    && record.Status == StepStatus.Succeeded && record.InputHash == copyStep.InputHash)
                {
                    continue;
                }

                var delta = pass > 1 || run.Options.Delta;
                // Read once: it decides whether the folder is skipped and where CONDSTORE flag changes start.
                var savedCursor = delta && assignment.Source.Cursor is not null
                    ? await state.GetCursorAsync(run.Plan.Name, mailboxRun.Migration.Name, mailboxRun.Key, assignment.Source.Path, cancellationToken)
                    : null;
                if (pass == 1 && run.Options.Delta && IsUnchanged(mailboxRun.Migration, assignment.Source, savedCursor))
                {
                    mailboxRun.UnchangedFolders.TryAdd(assignment.Source.Path, true);
                    mailboxRun.Log.ForContext("Folder", assignment.Source.Path)
                        .Information("Folder {Folder} is unchanged since the last pass: nothing listed", assignment.Source.Path);
                    continue;
                }

                var folderStep = new Step
                {
                    Id = folderStepId,
                    Kind = StepKind.CopyFolders,
                    Migration = copyStep.Migration,
                    Mailbox = copyStep.Mailbox,
                    InputHash = copyStep.InputHash,
                    Description = $"copy folder {assignment.Source.Path}",
                };
                await SaveStepAsync(run, folderStep, StepStatus.Running, null, null, cancellationToken);
                try
                {
                    var keys = await retry.ExecuteAsync(
                        async ct =>
                        {
                            try
                            {
                                await worker.EnsureOpenAsync(ct);
                                return await CopyFolderAsync(mailboxRun, worker, assignment, delta, savedCursor, ct);
                            }
                            catch (Exception ex) when (IsTransient(ex))
                            {
                                // The batch in flight may or may not have reached the target: look again before appending.
                                mailboxRun.ForgetPresence(assignment.TargetPath);
                                await worker.ReopenAsync(ct);
                                throw;
                            }
                        },
                        cancellationToken);
                    mailboxRun.SourceKeys[assignment.Source.Path] = keys;
                    if (assignment.Source.Cursor is { } cursor)
                    {
                        // Read before the listing: mail that arrived during the copy moves UIDNEXT past it, so the next delta pass looks.
                        await state.SaveCursorAsync(run.Plan.Name, mailboxRun.Migration.Name, mailboxRun.Key, assignment.Source.Path, cursor, cancellationToken);
                    }

                    await SaveStepAsync(run, folderStep, StepStatus.Succeeded, null, null, cancellationToken);
                    mailboxRun.Log.ForContext("Folder", assignment.Source.Path).ForContext("Step", folderStepId)
                        .Information("Copied folder {Folder} to {TargetFolder}: {Messages} messages in the source", assignment.Source.Path, assignment.TargetPath, keys.Count);
                }
                catch (StopRequestedException)
                {
                    await SaveStepAsync(run, folderStep, StepStatus.Failed, "interrupted", null, CancellationToken.None);
                    throw;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await SaveStepAsync(run, folderStep, StepStatus.Failed, ToDiagnostic(ex, mailboxRun.Migration, mailboxRun.Key).Message, null, CancellationToken.None);
                    throw;
                }
            }
        }

        await Task.WhenAll(workers.Take(workerCount).Select(Work));
    }

    /// <summary>
    /// True when the source folder is where the last copy left it: same UIDVALIDITY and UIDNEXT (nothing new), and with
    /// syncFlags the same HIGHESTMODSEQ (no flag changed). Only sources that report a cursor can be skipped.
    /// </summary>
    private static bool IsUnchanged(MigrationDefinition migration, MailFolder folder, FolderCursor? saved) =>
        NothingArrived(folder, saved) && (!migration.SyncFlags || (folder.Cursor!.HighestModSeq is { } modSeq && saved!.HighestModSeq == modSeq));

    /// <summary>Same UIDVALIDITY and UIDNEXT as the saved cursor: no message arrived since (flags may have changed).</summary>
    private static bool NothingArrived(MailFolder folder, FolderCursor? saved) =>
        folder.Cursor is { } now && saved is not null && saved.UidValidity == now.UidValidity && saved.UidNext == now.UidNext;

    /// <summary>Copies one source folder; returns the dedup keys of the messages that should be in the target (for verify).</summary>
    private async Task<List<string>> CopyFolderAsync(MailboxRun mailboxRun, Worker worker, FolderAssignment assignment, bool delta, FolderCursor? savedCursor,
        CancellationToken cancellationToken)
    {
        var run = mailboxRun.Run;
        var migration = mailboxRun.Migration;
        var filters = migration.Filters;
        var folder = assignment.Source;
        var source = worker.Source!;
        var target = worker.Target!;
        var targetFolder = mailboxRun.TargetFolders[assignment.TargetPath];
        var validity = folder.UidValidity ?? 0;
        var ledger = await state.GetLedgerFolderAsync(run.Plan.Name, migration.Name, mailboxRun.Key, folder.Path, cancellationToken);
        var sameValidity = ledger.FolderValidity is null || ledger.FolderValidity == validity;
        IReadOnlySet<string> known = sameValidity ? ledger.SourceIds : new HashSet<string>();
        var relink = sameValidity ? null : new KeyMultiset(ledger.DedupKeys);
        var flagTarget = delta && migration.SyncFlags && sameValidity ? target as IFlagSyncTarget : null;
        // With CONDSTORE the source names the messages whose flags changed since the saved cursor: then only new messages
        // are listed, as without syncFlags. Otherwise every message is listed (flags only, no bodies) to compare flags.
        var changedSince = flagTarget is not null && source is IFlagChangeSource && folder.Cursor?.HighestModSeq is not null
            && savedCursor is { HighestModSeq: { } savedModSeq } && savedCursor.UidValidity == validity
                ? savedModSeq
                : (ulong?)null;
        var after = delta && sameValidity && (flagTarget is null || changedSince is not null) ? MaxNumericId(known) : null;
        // Keys come from the fetched bytes when nothing needs them before the copy: no relinking, no claims across label
        // folders, no known message listed, and a target folder without messages the ledger does not know. (When the
        // cursor says nothing arrived, nothing will be copied: the target is not asked.)
        var keysFromContent = source is IContentKeySource && relink is null && !mailboxRun.CopiesLabelsOnce && !NothingArrived(folder, savedCursor)
            && (known.Count == 0 || after is not null)
            && (await mailboxRun.GetPresenceAsync(targetFolder, target, cancellationToken)).Count == 0;
        Dictionary<string, string>? targetIds = null;
        var flagUpdates = new List<FlagUpdate>();
        var sizeLimit = target.MaxMessageSize;
        var expected = new List<string>();
        var pending = new List<MessageSummary>();
        long pendingBytes = 0;
        var records = new List<LedgerEntry>();
        var events = new List<ItemEvent>();

        LedgerEntry Entry(MessageSummary summary, string outcome, string? sha, string? targetId) => new()
        {
            Migration = migration.Name,
            Mailbox = mailboxRun.Key,
            Folder = folder.Path,
            FolderValidity = validity,
            SourceId = summary.SourceId,
            MessageId = summary.MessageId,
            DedupKey = summary.DedupKey,
            Sha256 = sha,
            Size = summary.Size,
            TargetFolder = targetFolder.Path,
            TargetId = targetId,
            Outcome = outcome,
            RecordedAt = DateTimeOffset.UtcNow,
            RunId = run.RunId,
        };

        ItemEvent Event(MessageSummary summary, string kind, string reason) => new()
        {
            Migration = migration.Name,
            Mailbox = mailboxRun.Key,
            Folder = folder.Path,
            SourceId = summary.SourceId,
            Kind = kind,
            Reason = reason,
            Size = summary.Size,
            RunId = run.RunId,
            RecordedAt = DateTimeOffset.UtcNow,
        };

        async Task FlushRecordsAsync()
        {
            await RecordAsync(records.ToList(), events.ToList());
            records.Clear();
            events.Clear();
        }

        // While one batch is appended on the target connection, the next is listed and fetched on the source connection.
        // Batches still go in one at a time and in order, so the target keeps the source's order.
        Task? appending = null;
        var badItemLimitHit = false;

        async Task AwaitAppendingAsync()
        {
            if (appending is { } previous)
            {
                appending = null;
                await previous;
            }
        }

        async Task CopyPendingAsync()
        {
            if (pending.Count == 0)
            {
                return;
            }

            if (run.Options.StopRequested.IsCancellationRequested)
            {
                await AwaitAppendingAsync();
                await FlushRecordsAsync();
                throw new StopRequestedException();
            }

            var batch = pending.ToList();
            pending.Clear();
            pendingBytes = 0;
            var contents = new List<MessageContent>(batch.Count);
            var digests = new List<ContentDigest>(batch.Count);
            try
            {
                await foreach (var content in source.FetchAsync(folder, batch, cancellationToken))
                {
                    digests.Add(ContentDigest.Attach(content));
                    contents.Add(content);
                    if (keysFromContent)
                    {
                        expected.Add(content.Summary.DedupKey);
                    }
                }

                await AwaitAppendingAsync();
            }
            catch
            {
                await DisposeAllAsync(contents);
                throw;
            }

            // Past this point the batch is appended and recorded even when a stop is requested.
            appending = AppendBatchAsync(contents, digests);
        }

        async Task AppendBatchAsync(List<MessageContent> contents, List<ContentDigest> digests)
        {
            var batchRecords = new List<LedgerEntry>(contents.Count);
            var batchEvents = new List<ItemEvent>();
            try
            {
                var results = await target.AppendAsync(targetFolder, contents, cancellationToken);
                long bytes = 0;
                for (var i = 0; i < contents.Count; i++)
                {
                    var summary = contents[i].Summary;
                    var appended = results[i];
                    if (appended.Rejected)
                    {
                        batchEvents.Add(Event(summary, "bad-item", appended.RejectionReason!));
                        var bad = mailboxRun.Result.Counters.AddBadItem();
                        if (migration.BadItemLimit is { } limit && bad > limit)
                        {
                            badItemLimitHit = true;
                            await RecordAsync(batchRecords, batchEvents);
                            throw new MigrationException(DiagnosticCatalog.BadItemLimitExceeded.Create(migration.Location, "raise badItemLimit or fix the messages the server refused (see the report)", mailboxRun.Key, bad, limit));
                        }

                        continue;
                    }

                    var length = digests[i].BytesRead > 0 ? digests[i].BytesRead : summary.Size;
                    batchRecords.Add(Entry(summary with { Size = length }, LedgerOutcomes.Copied, digests[i].Sha256, appended.TargetId));
                    mailboxRun.Result.Counters.AddCopied(length);
                    bytes += length;
                }

                await RecordAsync(batchRecords, batchEvents);
                run.Options.Observer.MessagesProcessed(migration.Name, mailboxRun.Key, contents.Count, bytes);
            }
            finally
            {
                await DisposeAllAsync(contents);
            }
        }

        async Task RecordAsync(List<LedgerEntry> batchRecords, List<ItemEvent> batchEvents)
        {
            if (batchRecords.Count > 0)
            {
                await state.RecordMessagesAsync(run.Plan.Name, batchRecords, CancellationToken.None);
            }

            if (batchEvents.Count > 0)
            {
                await state.RecordItemEventsAsync(run.Plan.Name, batchEvents, CancellationToken.None);
            }
        }

        try
        {
            await ListAndCopyAsync();
        }
        catch (Exception ex)
        {
            // Never leave an append running on a connection the retry is about to close.
            if (appending is { } inFlight)
            {
                appending = null;
                try
                {
                    await inFlight;
                }
                catch (Exception appendFailure) when (appendFailure != ex)
                {
                    mailboxRun.Log.Debug("An append in flight failed too: {Message}", appendFailure.Message);
                }
            }

            if (badItemLimitHit)
            {
                await FlushRecordsAsync();
            }

            throw;
        }

        if (flagTarget is not null && changedSince is { } since)
        {
            await foreach (var change in ((IFlagChangeSource)source).ListFlagChangesAsync(folder, since, cancellationToken))
            {
                if (known.Contains(change.SourceId))
                {
                    await AddFlagUpdateAsync(change.SourceId, change.Flags, change.Keywords);
                }
            }
        }

        if (flagTarget is not null && flagUpdates.Count > 0)
        {
            var changed = await flagTarget.SyncFlagsAsync(targetFolder, flagUpdates, cancellationToken);
            mailboxRun.Result.Counters.AddFlagsUpdated(changed);
            mailboxRun.Log.Information("Brought flag changes of {Changed} of {Checked} messages across to {TargetFolder}", changed, flagUpdates.Count, targetFolder.Path);
        }

        return expected;

        // \Deleted is not brought across: the copy would vanish at the target's next EXPUNGE.
        async Task AddFlagUpdateAsync(string sourceId, MessageFlags flags, IReadOnlyList<string> keywords)
        {
            targetIds ??= await TargetIdsAsync(mailboxRun, folder.Path, validity, targetFolder.Path, cancellationToken);
            if (targetIds.TryGetValue(sourceId, out var targetId))
            {
                flagUpdates.Add(new FlagUpdate(targetId, flags & ~MessageFlags.Deleted, keywords));
            }
        }

        async Task ListAndCopyAsync()
        {
            var listing = keysFromContent
                ? ((IContentKeySource)source).ListMessagesWithoutKeysAsync(folder, after, cancellationToken)
                : source.ListMessagesAsync(folder, after, cancellationToken);
            await foreach (var summary in listing)
            {
                if (known.Contains(summary.SourceId))
                {
                    expected.Add(summary.DedupKey);
                    if (flagTarget is not null)
                    {
                        await AddFlagUpdateAsync(summary.SourceId, summary.Flags, summary.Keywords);
                    }

                    continue;
                }

                var filteredReason = FilterReason(summary, filters);
                if (filteredReason is not null)
                {
                    events.Add(Event(summary, "filtered", filteredReason));
                    mailboxRun.Result.Counters.AddFiltered();
                    continue;
                }

                if (sizeLimit is { } limitBytes && summary.Size > limitBytes)
                {
                    events.Add(Event(summary, "bad-item", $"message of {FormatSize(summary.Size)} is larger than the target accepts ({FormatSize(limitBytes)})"));
                    mailboxRun.Result.Counters.AddBadItem();
                    continue;
                }

                if (summary.Warning is not null)
                {
                    events.Add(Event(summary, "warning", summary.Warning));
                    mailboxRun.Result.Counters.AddWarning();
                }

                if (mailboxRun.CopiesLabelsOnce && !await mailboxRun.ClaimOnceAsync(summary.DedupKey, folder.Path, cancellationToken))
                {
                    events.Add(Event(summary, "filtered", "already copied from another label folder (labelCopies: once)"));
                    mailboxRun.Result.Counters.AddFiltered();
                    continue;
                }

                // With keys from content the key is added to the expected ones once the bytes are fetched.
                if (!keysFromContent)
                {
                    expected.Add(summary.DedupKey);
                    if (relink is not null && relink.TryTake(summary.DedupKey))
                    {
                        records.Add(Entry(summary, LedgerOutcomes.Relinked, null, null));
                        mailboxRun.Result.Counters.AddPresent();
                        continue;
                    }

                    var presence = await mailboxRun.GetPresenceAsync(targetFolder, target, cancellationToken);
                    if (presence.TryTake(summary.DedupKey))
                    {
                        records.Add(Entry(summary, LedgerOutcomes.Present, null, null));
                        mailboxRun.Result.Counters.AddPresent();
                        if (records.Count >= 500)
                        {
                            await FlushRecordsAsync();
                        }

                        continue;
                    }
                }

                pending.Add(summary);
                pendingBytes += summary.Size;
                if (pending.Count >= run.Options.BatchMessages || pendingBytes >= run.Options.BatchBytes)
                {
                    await CopyPendingAsync();
                }
            }

            await CopyPendingAsync();
            await AwaitAppendingAsync();
            await FlushRecordsAsync();
        }
    }

    private static async Task DisposeAllAsync(List<MessageContent> contents)
    {
        foreach (var content in contents)
        {
            await content.DisposeAsync();
        }
    }

    /// <summary>Source id to target id of the messages this run's ledger says were copied from the folder (for flag sync).</summary>
    private async Task<Dictionary<string, string>> TargetIdsAsync(MailboxRun mailboxRun, string folder, long validity, string targetFolder, CancellationToken cancellationToken)
    {
        var entries = await state.GetLedgerEntriesAsync(mailboxRun.Run.Plan.Name, mailboxRun.Migration.Name, mailboxRun.Key, cancellationToken);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.TargetId is { } targetId && entry.FolderValidity == validity
                && string.Equals(entry.Folder, folder, StringComparison.Ordinal) && string.Equals(entry.TargetFolder, targetFolder, StringComparison.Ordinal))
            {
                ids[entry.SourceId] = targetId;
            }
        }

        return ids;
    }

    /// <summary>Compares, per target folder, the dedup keys expected from the source with those found; folders in parallel on the copy's connections.</summary>
    private async Task VerifyAsync(MailboxRun mailboxRun, IReadOnlyList<FolderAssignment> assignments, List<Worker> workers, ResiliencePipeline retry, CancellationToken cancellationToken)
    {
        var groups = assignments.GroupBy(a => a.TargetPath, StringComparer.Ordinal)
            .OrderByDescending(g => g.Sum(a => a.Source.MessageCount ?? 0))
            .ToList();
        var results = new ConcurrentDictionary<string, FolderVerification>(StringComparer.Ordinal);
        foreach (var byCount in await VerifyByCountAsync(mailboxRun, groups, workers[0], retry, cancellationToken))
        {
            results[byCount.TargetFolder] = byCount;
        }

        var toCompare = groups.Where(group => !results.ContainsKey(group.Key)).ToList();

        var queue = new ConcurrentQueue<IGrouping<string, FolderAssignment>>(toCompare);

        async Task Work(Worker worker)
        {
            while (queue.TryDequeue(out var group))
            {
                var expected = new List<string>();
                foreach (var assignment in group)
                {
                    if (!mailboxRun.SourceKeys.TryGetValue(assignment.Source.Path, out var keys))
                    {
                        keys = await retry.ExecuteAsync(
                            async ct =>
                            {
                                await worker.EnsureOpenAsync(ct);
                                return await ListExpectedKeysAsync(mailboxRun, worker, assignment.Source, ct);
                            },
                            cancellationToken);
                    }

                    expected.AddRange(keys);
                }

                var targetFolder = mailboxRun.TargetFolders[group.Key];
                var found = new KeyMultiset(await retry.ExecuteAsync(
                    async ct =>
                    {
                        await worker.EnsureOpenAsync(ct);
                        return await worker.Target!.ListMessageKeysAsync(targetFolder, ct);
                    },
                    cancellationToken));
                var missing = expected.Count(key => !found.TryTake(key));
                results[group.Key] = new FolderVerification(group.Key, expected.Count, expected.Count - missing, missing);
            }
        }

        await Task.WhenAll(workers.Take(Math.Max(1, Math.Min(workers.Count, toCompare.Count))).Select(Work));
        mailboxRun.Result.Verification.AddRange(results.Values.OrderBy(v => v.TargetFolder, StringComparer.Ordinal));
    }

    /// <summary>
    /// A target folder fed only by folders this delta pass found unchanged was compared message by message when they were
    /// copied; now it is enough that it still holds at least as many messages as the ledger put there. The folders that
    /// pass are returned; the others (or all, when the target cannot count cheaply) are compared by dedup key.
    /// </summary>
    private async Task<List<FolderVerification>> VerifyByCountAsync(MailboxRun mailboxRun, IReadOnlyList<IGrouping<string, FolderAssignment>> groups, Worker worker,
        ResiliencePipeline retry, CancellationToken cancellationToken)
    {
        var unchanged = groups.Where(group => group.All(a => mailboxRun.UnchangedFolders.ContainsKey(a.Source.Path))).ToList();
        if (unchanged.Count == 0)
        {
            return [];
        }

        var ledgerCounts = await mailboxRun.LedgerCountsAsync(cancellationToken);
        // A count check is cheap: the first connection asks for them all at once, no others are opened for it.
        var found = await retry.ExecuteAsync(
            async ct =>
            {
                await worker.OpenTargetAsync(ct);
                return worker.Target is IFolderCountTarget counter
                    ? await counter.CountMessagesAsync(unchanged.Select(group => mailboxRun.TargetFolders[group.Key]).ToList(), ct)
                    : new Dictionary<string, int>();
            },
            cancellationToken);
        var passed = new List<FolderVerification>();
        foreach (var group in unchanged)
        {
            var expected = group.Sum(a => ledgerCounts.GetValueOrDefault(a.Source.Path));
            if (found.TryGetValue(mailboxRun.TargetFolders[group.Key].Path, out var count) && count >= expected)
            {
                passed.Add(new FolderVerification(group.Key, expected, expected, 0));
            }
        }

        return passed;
    }

    private async Task<List<string>> ListExpectedKeysAsync(MailboxRun mailboxRun, Worker worker, MailFolder folder, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var limit = worker.Target!.MaxMessageSize;
        await foreach (var summary in worker.Source!.ListMessagesAsync(folder, null, cancellationToken))
        {
            if (FilterReason(summary, mailboxRun.Migration.Filters) is null && !(limit is { } l && summary.Size > l))
            {
                keys.Add(summary.DedupKey);
            }
        }

        return keys;
    }

    private static string? FilterReason(MessageSummary summary, MessageFilters filters)
    {
        if (!filters.IncludeDeleted && summary.Flags.HasFlag(MessageFlags.Deleted))
        {
            return "marked \\Deleted in the source";
        }

        if (filters.Since is { } since && summary.InternalDate < since)
        {
            return $"received before filters.since {since:yyyy-MM-dd}";
        }

        if (filters.Before is { } before && summary.InternalDate >= before)
        {
            return $"received on or after filters.before {before:yyyy-MM-dd}";
        }

        if (filters.MaxMessageSize is { } max && summary.Size > max)
        {
            return $"larger than filters.maxMessageSize {FormatSize(max)}";
        }

        return null;
    }

    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GB",
        >= 1024L * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    private static string? MaxNumericId(IReadOnlySet<string> ids)
    {
        long max = -1;
        foreach (var id in ids)
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            max = Math.Max(max, value);
        }

        return max >= 0 ? max.ToString(CultureInfo.InvariantCulture) : null;
    }

    private static bool IsDone(RunContext run, Step step) =>
        run.Steps.TryGetValue(step.Id, out var record) && record.Status == StepStatus.Succeeded && record.InputHash == step.InputHash;

    private async Task SaveStepAsync(RunContext run, Step step, StepStatus status, string? error, string? resultJson, CancellationToken cancellationToken)
    {
        run.Steps.TryGetValue(step.Id, out var previous);
        var now = DateTimeOffset.UtcNow;
        var record = new StepRecord
        {
            StepId = step.Id,
            Kind = step.KindText,
            InputHash = step.InputHash,
            Status = status,
            Attempts = (previous?.Attempts ?? 0) + (status == StepStatus.Running ? 1 : 0),
            StartedAt = status == StepStatus.Running ? now : previous?.StartedAt ?? now,
            FinishedAt = status is StepStatus.Succeeded or StepStatus.Failed ? now : null,
            Error = error,
            ResultJson = resultJson ?? (status == StepStatus.Running ? null : previous?.ResultJson),
        };
        run.Steps[step.Id] = record;
        await state.SaveStepAsync(run.Plan.Name, record, cancellationToken);
    }

    /// <summary>
    /// Two retry loops. The outer one waits as long as the server asked (throttling: IMAP "Suggested Backoff Time", Graph
    /// 429/503 Retry-After) and does not use up the attempts, since a long migration is throttled again and again by
    /// design; the inner one gives other transient failures (dropped connections, timeouts) a few attempts with backoff.
    /// </summary>
    private static ResiliencePipeline RetryPipeline(ExecutionOptions options, ILogger log) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<MigrationException>(ex => ex.Transient && ex.RetryAfter is not null),
            MaxRetryAttempts = options.MaxServerRequestedWaits,
            MaxDelay = TimeSpan.FromMinutes(10),
            DelayGenerator = args => ValueTask.FromResult(((MigrationException)args.Outcome.Exception!).RetryAfter),
            OnRetry = args =>
            {
                log.Warning("The server asked to wait, retry {Attempt} in {Delay}: {Message}", args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message);
                return default;
            },
        })
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => IsTransient(ex) && ex is not MigrationException { RetryAfter: not null }),
            MaxRetryAttempts = Math.Max(0, options.MaxAttempts - 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = TimeSpan.FromMinutes(2),
            OnRetry = args =>
            {
                log.Warning("Transient failure, retry {Attempt} in {Delay}: {Message}", args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message);
                return default;
            },
        })
        .Build();

    private static bool IsTransient(Exception ex) => ex switch
    {
        MigrationException migration => migration.Transient,
        IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    private static Diagnostic ToDiagnostic(Exception ex, MigrationDefinition migration, string mailbox) => ex switch
    {
        MigrationException migrationException => migrationException.Diagnostic,
        SecretUnavailableException secret => DiagnosticCatalog.SecretUnavailable.Create(migration.Location, "set the variable or create the file the plan refers to", secret.Message),
        _ => DiagnosticCatalog.UnexpectedFailure.Create(migration.Location, "the log file has the details; please report it", ex.GetType().Name, $"mailbox {mailbox}", ex.Message),
    };

    private sealed record RunContext(PlanModel Plan, ExecutionGraph Graph, ExecutionOptions Options, long RunId, ConcurrentDictionary<string, StepRecord> Steps, RunSummary Summary);

    private sealed class StopRequestedException : Exception;

    /// <summary>Per-mailbox state shared by the folder workers.</summary>
    private sealed class MailboxRun(IStateStore store, RunContext run, MigrationDefinition migration, MailboxEntry mailbox, string key, MailboxContext sourceContext, MailboxContext targetContext, MailboxResult result, ILogger log)
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<KeyMultiset>>> _presence = new(StringComparer.Ordinal);
        private IReadOnlyList<LedgerEntry>? _ledger;
        private readonly SemaphoreSlim _ledgerGate = new(1, 1);

        public IStateStore Store { get; } = store;
        public RunContext Run { get; } = run;
        public MigrationDefinition Migration { get; } = migration;
        public MailboxEntry Mailbox { get; } = mailbox;
        public string Key { get; } = key;
        public MailboxContext SourceContext { get; } = sourceContext;
        public MailboxContext TargetContext { get; } = targetContext;
        public MailboxResult Result { get; } = result;
        public ILogger Log { get; } = log;
        public ConcurrentDictionary<string, TargetFolder> TargetFolders { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, List<string>> SourceKeys { get; } = new(StringComparer.Ordinal);

        private IReadOnlyDictionary<string, int>? _ledgerCounts;

        /// <summary>Ledger entries per source folder, read once for the count checks of a delta pass (after the copy).</summary>
        public async Task<IReadOnlyDictionary<string, int>> LedgerCountsAsync(CancellationToken cancellationToken) =>
            _ledgerCounts ??= await Store.GetLedgerFolderCountsAsync(Run.Plan.Name, Migration.Name, Key, cancellationToken);

        /// <summary>Source folders a delta pass skipped because their cursor had not moved.</summary>
        public ConcurrentDictionary<string, bool> UnchangedFolders { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// Gmail over IMAP shows a message in every label's folder; with <c>labelCopies: once</c> the first folder to meet it
        /// copies it and the others skip it. (Takeout mbox sources apply the rule themselves when they list labels.)
        /// </summary>
        public bool CopiesLabelsOnce =>
            string.Equals(Migration.LabelCopies, "once", StringComparison.OrdinalIgnoreCase)
            && string.Equals(SourceContext.Endpoint.Type, "imap", StringComparison.Ordinal)
            && string.Equals(SourceContext.Endpoint.Preset, "gmail", StringComparison.OrdinalIgnoreCase);

        private ConcurrentDictionary<string, string>? _claimed;

        /// <summary>
        /// True unless another folder of the mailbox already copied this message (by dedup key), in this or an earlier run.
        /// Two messages sharing a Message-ID in one folder are distinct messages and both claim it.
        /// </summary>
        public async Task<bool> ClaimOnceAsync(string dedupKey, string folder, CancellationToken cancellationToken)
        {
            if (_claimed is null)
            {
                await _ledgerGate.WaitAsync(cancellationToken);
                try
                {
                    if (_claimed is null)
                    {
                        var claimed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
                        foreach (var entry in await Store.GetLedgerEntriesAsync(Run.Plan.Name, Migration.Name, Key, cancellationToken))
                        {
                            claimed.TryAdd(entry.DedupKey, entry.Folder);
                        }

                        _claimed = claimed;
                    }
                }
                finally
                {
                    _ledgerGate.Release();
                }
            }

            return string.Equals(_claimed.GetOrAdd(dedupKey, folder), folder, StringComparison.Ordinal);
        }

        /// <summary>
        /// The target folder's messages that no ledger entry accounts for: only these can be copies of messages the
        /// ledger lost. Loaded once per folder, when the first message the ledger does not know is met.
        /// </summary>
        public Task<KeyMultiset> GetPresenceAsync(TargetFolder folder, IMailTarget target, CancellationToken cancellationToken) =>
            _presence.GetOrAdd(folder.Path, _ => new Lazy<Task<KeyMultiset>>(() => LoadPresenceAsync(folder, target, cancellationToken))).Value;

        public void ForgetPresence(string targetPath)
        {
            _presence.TryRemove(targetPath, out _);
            _ledger = null;
        }

        private async Task<KeyMultiset> LoadPresenceAsync(TargetFolder folder, IMailTarget target, CancellationToken cancellationToken)
        {
            // A folder that holds as many messages as the ledger put there has none the ledger does not know: its keys
            // need not be read, which for a large folder is the cost of a delta pass.
            var count = target is IFolderCountTarget counter && (await counter.CountMessagesAsync([folder], cancellationToken)).TryGetValue(folder.Path, out var counted)
                ? counted
                : -1;
            if (count == 0)
            {
                return new KeyMultiset();
            }

            List<string> recorded;
            await _ledgerGate.WaitAsync(cancellationToken);
            try
            {
                _ledger ??= await Store.GetLedgerEntriesAsync(Run.Plan.Name, Migration.Name, Key, cancellationToken);
                // Relinked entries re-point a message already counted by its original entry.
                recorded = _ledger.Where(entry => entry.Outcome is LedgerOutcomes.Copied or LedgerOutcomes.Present && string.Equals(entry.TargetFolder, folder.Path, StringComparison.Ordinal))
                    .Select(entry => entry.DedupKey)
                    .ToList();
            }
            finally
            {
                _ledgerGate.Release();
            }

            if (count == recorded.Count)
            {
                return new KeyMultiset();
            }

            var inTarget = new KeyMultiset(await target.ListMessageKeysAsync(folder, cancellationToken));
            foreach (var key in recorded)
            {
                inTarget.TryTake(key);
            }

            return inTarget;
        }
    }
    /// <summary>One connection pair (source and target) of a mailbox; folders of a mailbox copy in parallel on several.</summary>
    private sealed class Worker(MailboxRun mailboxRun, AdapterRegistry adapters) : IAsyncDisposable
    {
        public IMailSource? Source { get; private set; }
        public IMailTarget? Target { get; private set; }

        public async Task OpenSourceAsync(CancellationToken cancellationToken)
        {
            if (Source is null)
            {
                var endpoint = mailboxRun.SourceContext.Endpoint;
                Source = await adapters.Source(endpoint.Type, endpoint.Location).OpenAsync(mailboxRun.SourceContext, cancellationToken);
            }
        }

        public async Task OpenTargetAsync(CancellationToken cancellationToken)
        {
            if (Target is null)
            {
                var endpoint = mailboxRun.TargetContext.Endpoint;
                Target = await adapters.Target(endpoint.Type, endpoint.Location).OpenAsync(mailboxRun.TargetContext, cancellationToken);
            }
        }

        public async Task EnsureOpenAsync(CancellationToken cancellationToken)
        {
            await OpenSourceAsync(cancellationToken);
            await OpenTargetAsync(cancellationToken);
        }

        /// <summary>Drops both connections after a transient failure; the next attempt opens new ones.</summary>
        public async Task ReopenAsync(CancellationToken cancellationToken)
        {
            await DisposeAsync();
            _ = cancellationToken;
        }

        public async ValueTask DisposeAsync()
        {
            var source = Source;
            var target = Target;
            Source = null;
            Target = null;
            await DisposeQuietlyAsync(source);
            await DisposeQuietlyAsync(target);
        }

        private async Task DisposeQuietlyAsync(IAsyncDisposable? disposable)
        {
            if (disposable is null)
            {
                return;
            }

            try
            {
                await disposable.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or SocketException or MigrationException or ObjectDisposedException or InvalidOperationException)
            {
                // A connection that already broke cannot be closed politely; the copy is unaffected.
                mailboxRun.Log.Debug("Closing a connection failed: {Message}", ex.Message);
            }
        }
    }
}
