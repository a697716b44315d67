using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// The copy step of one mailbox, expanded at run time into one step per source folder: folders are queued over the
/// mailbox's connection pairs, each folder is skipped when done (or unchanged since its cursor), copied by a
/// <see cref="FolderCopy"/> under the retry policy, and its outcome and cursor recorded. A pair without a folder left
/// helps with the ranges a large folder posts on the <see cref="RangeBoard"/>; pairs open when they first get work. While a
/// <see cref="TargetFolderEnsurer"/> creates the target's folders on the first pair, the other pairs copy the folders that
/// are ready and the first pair joins when it is done.
/// </summary>
internal sealed class FolderCopier(MailboxRun mailboxRun, AdapterRegistry adapters, List<ConnectionPair> connections, RetryPipeline retry)
{
    public async Task CopyFoldersAsync(IReadOnlyList<FolderAssignment> assignments, int pass, CancellationToken cancellationToken, TargetFolderEnsurer? ensurer = null)
    {
        var run = mailboxRun.Run;
        foreach (var assignment in assignments)
        {
            mailboxRun.FolderTargets[assignment.Source.Path] = assignment.TargetPath;
        }

        // Largest folders first, so that the last folder to finish is a small one.
        var queue = assignments.OrderByDescending(a => a.Source.MessageCount ?? 0);
        var connectionCount = Math.Max(1, mailboxRun.Migration.Concurrency.ConnectionsPerMailbox);
        while (connections.Count < connectionCount)
        {
            connections.Add(new ConnectionPair(mailboxRun, adapters));
        }

        using var board = new RangeBoard(connectionCount, queue, ensurer is null ? null : ensurer.IsReady);
        ensurer?.OnFolderReady(board.FolderReady);
        var primary = connections[0];
        var copyStep = run.Graph[$"copy/{mailboxRun.Migration.Name}/{mailboxRun.Key}"];
        async Task Work(ConnectionPair pair)
        {
            // A pair opened only to help holds connection slots of the hosts (HostSlotGate): it takes a range only once it
            // is open, so a folder's copy never waits for a range whose pair waits for a slot, and it closes again when it
            // finds nothing to help with, so its slots never keep another pair of the mailbox waiting.
            var openedToHelp = false;
            var mayHelp = true;
            // Each pair works on its own: a source and target that never wait (files) would otherwise copy every folder and
            // every range on the first pair before the next pair's loop even started.
            await Task.Yield();
            if (ReferenceEquals(pair, primary) && ensurer is not null)
            {
                // Its target creates the folders; a failure there is the mailbox's failure, reported by the runner.
                try
                {
                    await ensurer.Completion.WaitAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    return;
                }
            }

            while (true)
            {
                if (mayHelp && board.HasOpenRange)
                {
                    if (pair.Source is null || pair.Target is null)
                    {
                        mayHelp = await OpenToHelpAsync(pair, board.Idle, cancellationToken);
                        openedToHelp = mayHelp;
                    }

                    if (mayHelp && board.TryTakeRange(out var range))
                    {
                        await range.RunOnAsync(pair);
                        continue;
                    }
                }

                if (board.TryTakeFolder(out var assignment))
                {
                    openedToHelp = false;
                    try
                    {
                        await CopyFolderStepAsync(copyStep, pair, board, assignment, pass, cancellationToken);
                    }
                    finally
                    {
                        board.FolderFinished();
                    }

                    continue;
                }

                if (openedToHelp)
                {
                    openedToHelp = false;
                    await pair.DisposeAsync();
                }

                if (board.NextChange() is not { } change)
                {
                    return;
                }

                // Cancelled when the folders' creation failed: a folder waiting for it would never become ready.
                await change.WaitAsync(cancellationToken);
            }
        }

        await Task.WhenAll(connections.Take(connectionCount).Select(Work));
    }

    /// <summary>
    /// Opens a pair to take ranges of a split folder; false when it could not (the folders' own pairs copy the ranges then).
    /// Waiting for a connection slot ends when no folder is left to copy.
    /// </summary>
    private async Task<bool> OpenToHelpAsync(ConnectionPair pair, CancellationToken idle, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(idle, cancellationToken);
        try
        {
            await pair.EnsureOpenAsync(waiting.Token);
            return true;
        }
        // Also a failure once the wait was given up: a login cancelled in its TLS handshake surfaces as a handshake failure.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is OperationCanceledException || RetryPolicy.IsTransient(ex) || waiting.IsCancellationRequested))
        {
            mailboxRun.Log.Debug("A connection pair opened to help with a split folder did not open: {Message}", ex.Message);
            await pair.ReopenAsync(CancellationToken.None);
            return false;
        }
    }

    private async Task CopyFolderStepAsync(Step copyStep, ConnectionPair pair, RangeBoard board, FolderAssignment assignment, int pass, CancellationToken cancellationToken)
    {
        var run = mailboxRun.Run;
        var folderStepId = $"{copyStep.Id}/{assignment.Source.Path}";
        // A folder copied before (in an interrupted run of this mailbox) is brought up to date like a delta pass: only
        // what arrived since is listed, and nothing when its cursor has not moved.
        var folderDone = run.Steps.TryGetValue(folderStepId, out var record) && StepDecisions.IsDone(copyStep, record);
        // A folder whose copy was cut short is listed whole even in a delta pass: its ranges may have left the ledger with
        // gaps below its highest id, which a listing from that id on would never look at.
        var interrupted = record is not null && record.Status != StepStatus.Succeeded;
        var firstDelta = pass == 1 && ((mailboxRun.Delta && !interrupted) || folderDone);
        var delta = pass > 1 || firstDelta;
        // Read once: it decides whether the folder is skipped and where CONDSTORE flag changes start.
        var savedCursor = delta && assignment.Source.Cursor is not null
            ? await run.State.GetCursorAsync(run.Plan.Name, mailboxRun.Migration.Name, mailboxRun.Key, assignment.Source.Path, cancellationToken)
            : null;
        if (firstDelta && CopyRules.IsUnchanged(mailboxRun.Migration, assignment.Source, savedCursor))
        {
            mailboxRun.UnchangedFolders.TryAdd(assignment.Source.Path, true);
            // Nothing arrived; fewer messages than the ledger recorded means some were deleted at the source (read with the
            // ledger counts the count check of this pass reads anyway).
            var vanished = CopyRules.Vanished((await mailboxRun.LedgerCountsAsync(cancellationToken)).GetValueOrDefault(assignment.Source.Path), assignment.Source.MessageCount, 0);
            mailboxRun.Result.Counters.AddVanished(vanished);
            mailboxRun.Log.ForContext("Folder", assignment.Source.Path)
                .Information("Folder {Folder} is unchanged since the last pass: nothing listed", assignment.Source.Path);
            return;
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
        await run.SaveStepAsync(mailboxRun.DeferredEnds, folderStep, StepStatus.Running, null, null, cancellationToken);
        try
        {
            var keys = await retry.ExecuteAsync(
                async ct =>
                {
                    try
                    {
                        await pair.EnsureOpenAsync(ct);
                        return await FolderCopy.RunAsync(mailboxRun, pair, board, assignment, delta, savedCursor, ct);
                    }
                    catch (Exception ex) when (RetryPolicy.IsTransient(ex))
                    {
                        // The batch in flight may or may not have reached the target: look again before appending.
                        mailboxRun.ForgetPresence(assignment.TargetPath);
                        await pair.ReopenAsync(ct);
                        throw;
                    }
                },
                cancellationToken);
            mailboxRun.SourceKeys[assignment.Source.Path] = keys;
            if (assignment.Source.Cursor is { } cursor)
            {
                // Read before the listing: mail that arrived during the copy moves UIDNEXT past it, so the next delta pass looks.
                await run.State.SaveCursorAsync(run.Plan.Name, mailboxRun.Migration.Name, mailboxRun.Key, assignment.Source.Path, cursor, cancellationToken);
            }

            // Written with the mailbox's next step write: a folder not marked done after a crash is listed whole, and its
            // ledger keeps what was copied from being copied again.
            run.DeferStepEnd(mailboxRun.DeferredEnds, folderStep, StepStatus.Succeeded, null);
            mailboxRun.Log.ForContext("Folder", assignment.Source.Path).ForContext("Step", folderStepId)
                .Information("Copied folder {Folder} to {TargetFolder}: {Messages} messages in the source", assignment.Source.Path, assignment.TargetPath, keys.Count);
        }
        catch (StopRequestedException)
        {
            await run.SaveStepAsync(mailboxRun.DeferredEnds, folderStep, StepStatus.Failed, StepDecisions.InterruptedError, null, CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !mailboxRun.Lease.IsLost)
        {
            await run.SaveStepAsync(mailboxRun.DeferredEnds, folderStep, StepStatus.Failed, RetryPolicy.ToDiagnostic(ex, mailboxRun.Migration, mailboxRun.Key).Message, null, CancellationToken.None);
            throw;
        }
    }
}
