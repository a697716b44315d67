using System.Text.Json.Nodes;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>The batch lifecycle: create or update, start and follow, approve skipped items, complete, and optionally remove.</summary>
internal sealed partial class StepRunner
{
    private async Task<bool> EnsureBatchAsync(Step step, BatchSpec spec, bool done, CancellationToken cancellationToken)
    {
        var existing = await GetAsync("Get-MigrationBatch", spec.Name, cancellationToken);
        if (existing is null)
        {
            return await CreateBatchAsync(step, spec, cancellationToken);
        }

        if (ServiceDecisions.Immutable(spec, existing) is var (setting, actual))
        {
            throw new MigrationException(Diagnose.ExchangeSettingImmutable(_migration.Location,
                $"migration batch {spec.Name}", setting.Parameter, actual, setting.Expected, "batch",
                    hint: "remove the batch (Remove-MigrationBatch) to create it again, or rename the migration"));
        }

        var changed = ServiceDecisions.Changed(spec.Settings, existing);
        var added = new List<string>();
        if (spec.Csv is not null)
        {
            var present = (await UsersOfAsync(spec.Name, cancellationToken))
                .Select(u => Text(u, "Identity").ToLowerInvariant())
                .ToHashSet(StringComparer.Ordinal);
            added = spec.Users.Where(u => !present.Contains(u)).ToList();
            var extra = present.Where(u => !spec.Users.Contains(u, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
            if (extra.Count > 0)
            {
                diagnostics.Add(Diagnose.ExchangeUsersNotRemoved(_migration.Location,
                    spec.Name, extra.Count, string.Join(", ", extra.Take(5)) + (extra.Count > 5 ? ", ..." : string.Empty),
                        hint: "remove them with Remove-MigrationUser if they should not migrate"));
            }
        }

        if (changed.Count == 0 && added.Count == 0)
        {
            if (!done)
            {
                await SaveAsync(step, new { batch = spec.Name, action = "unchanged", users = spec.Users.Count });
            }

            return true;
        }

        await context.SaveStepAsync(step, StepStatus.Running, null, null);
        if (changed.Count > 0)
        {
            await session.InvokeAsync("Set-MigrationBatch", [("Identity", spec.Name), .. Parameters(changed)], cancellationToken);
        }

        if (added.Count > 0)
        {
            var csv = spec.CsvFor(added.ToHashSet(StringComparer.Ordinal))!;
            await session.InvokeAsync("Set-MigrationBatch", [("Identity", spec.Name), ("CSVData", CsvBytes(csv, spec.Name)), ("AddUsers", true)], cancellationToken);
        }

        await SaveAsync(step, new { batch = spec.Name, action = "updated", changed = changed.Select(c => c.Parameter), added_users = added });
        return true;
    }

    /// <summary>
    /// Creates the batch, unless state says it existed and Exchange Online removed it after it completed: "Migration batches with a status of
    /// Synced that have no administrator-initiated activity ... for the last 60 days will be stopped. All batches with Stopped or Failed status
    /// will be removed after 90 days. All batches with Completed status will be removed after 60 days."
    /// https://learn.microsoft.com/exchange/mailbox-migration/manage-migration-batches
    /// </summary>
    private async Task<bool> CreateBatchAsync(Step step, BatchSpec spec, CancellationToken cancellationToken)
    {
        var (existed, completed) = ServiceDecisions.Recorded(context.Records, _migration, spec);
        if (existed)
        {
            var action = ServiceDecisions.WhenRemoved(_migration, completed);
            if (action == RemovedBatchAction.ReportCompleted)
            {
                _removedAfterCompletion.Add(spec.Name);
                if (!completed || !_migration.Exchange.RemoveWhenCompleted)
                {
                    diagnostics.Add(Diagnose.ExchangeBatchRemovedByService(_migration.Location, spec.Name,
                        completed ? "completed" : "created", "the plan says it is done (exchange.whenRemoved: reportCompleted): reported as completed") with { Severity = DiagnosticSeverity.Info });
                }

                await SaveAsync(step, new { batch = spec.Name, action = "removed-after-completion", completed = true });
                return true;
            }

            diagnostics.Add(Diagnose.ExchangeBatchRemovedByService(_migration.Location,
                spec.Name, completed ? "completed" : "created", "it is created again",
                    hint: "Exchange Online stops batches left synced for 60 days and removes stopped and failed ones after 90 days, completed ones after 60 (exchange.whenRemoved chooses)"));
        }

        await context.SaveStepAsync(step, StepStatus.Running, null, null);
        var parameters = new List<(string, object?)> { ("Name", spec.Name) };
        parameters.AddRange(Parameters(spec.Settings));
        if (spec.Csv is not null)
        {
            parameters.Add(("CSVData", CsvBytes(spec.Csv, spec.Name)));
        }

        if (spec.AutoStart)
        {
            parameters.Add(("AutoStart", true));
        }

        await session.InvokeAsync("New-MigrationBatch", parameters, cancellationToken);
        _createdNow.Add(spec.Name);
        // The content filter is recorded as sent: a relative filters.since (90d) was resolved now and is not compared on later applies.
        await SaveAsync(step, new { batch = spec.Name, action = existed ? "recreated" : "created", users = spec.Users.Count, auto_start = spec.AutoStart, content_filter = spec.ContentFilter });
        return true;
    }

    private async Task<bool> StartBatchAsync(Step step, BatchSpec spec, bool done, CancellationToken cancellationToken)
    {
        if (_removedAfterCompletion.Contains(spec.Name))
        {
            await SaveAsync(step, new { batch = spec.Name, action = "removed-after-completion", completed = true });
            return true;
        }

        var batch = await GetAsync("Get-MigrationBatch", spec.Name, cancellationToken)
            ?? throw new MigrationException(Diagnose.ExchangeBatchFailed(_migration.Location, spec.Name, "missing", "the batch was removed",
                hint: "run apply again to create it"));
        var status = Text(batch, "Status");
        var state = MigrationStatuses.OfBatch(status);
        if (state == BatchState.Unknown)
        {
            throw new MigrationException(Diagnose.ExchangeUnknownStatus(_migration.Location, spec.Name, "the batch", status));
        }

        var retry = (await UsersOfAsync(spec.Name, cancellationToken))
            .Where(u => MigrationStatuses.OfUser(Text(u, "Status")) is UserState.Failed or UserState.Stopped)
            .Select(u => Text(u, "Identity"))
            .ToList();
        if (!ServiceDecisions.StartHasWork(done, _createdNow.Contains(spec.Name), state, retry.Count))
        {
            return true;
        }

        await context.SaveStepAsync(step, StepStatus.Running, null, null);
        var retried = new List<string>();
        // Start-MigrationBatch "starts a pending migration batch ... resumes a Stopped migration batch or retry failures within a Failed ...
        // migration batch" (a batch the service stopped after 60 idle days too). https://learn.microsoft.com/powershell/module/exchangepowershell/start-migrationbatch
        if (state is BatchState.Created or BatchState.Stopped or BatchState.Failed)
        {
            await session.InvokeAsync("Start-MigrationBatch", [("Identity", spec.Name)], cancellationToken);
        }
        else
        {
            foreach (var identity in retry)
            {
                await session.InvokeAsync("Start-MigrationUser", [("Identity", identity)], cancellationToken);
                retried.Add(identity);
            }
        }

        if (spec.StartAfter is { } startAfter && startAfter > DateTimeOffset.UtcNow + options.PollInterval)
        {
            await SaveAsync(step, new { batch = spec.Name, status = "scheduled", start_after = Comparable.Date(startAfter) }, StepStatus.Running);
            diagnostics.Add(Diagnose.ExchangeStillRunning(_migration.Location, spec.Name, "scheduled",
                $"it starts at {Comparable.Date(startAfter)}; run apply again after that to follow it") with { Severity = DiagnosticSeverity.Info });
            return false;
        }

        var (settled, final) = await WaitAsync(step, spec, s => s is BatchState.Synced or BatchState.Completed or BatchState.Stopped or BatchState.Failed, retried, cancellationToken);
        return await ConcludeAsync(step, spec, settled, final) && await LicenseAsync(step, spec, final, cancellationToken);
    }

    private async Task<bool> CompleteBatchAsync(Step step, BatchSpec spec, bool done, CancellationToken cancellationToken)
    {
        if (_removedAfterCompletion.Contains(spec.Name))
        {
            await SaveAsync(step, new { batch = spec.Name, action = "removed-after-completion", completed = true });
            return true;
        }

        if (done && !_createdNow.Contains(spec.Name))
        {
            return true;
        }

        if (!spec.Complete && spec.CompleteAfter is null)
        {
            await SaveAsync(step, new { batch = spec.Name, action = "left-synced" });
            return true;
        }

        var progress = await PollAsync(spec, [], cancellationToken);
        if (progress.State == BatchState.Completed)
        {
            return await FinishAsync(step, spec, progress, cancellationToken);
        }

        // Skipped items are approved (as the plan records) before completion starts: a remote move or Google Workspace batch graded
        // Investigate does not complete without it, so completing first would leave it waiting.
        if (desired.Endpoint.NeedsSkippedItemApproval && !await ApproveSkippedItemsAsync(step, spec, progress, cancellationToken))
        {
            return false;
        }

        if (!spec.Complete && spec.CompleteAfter is { } after && after > DateTimeOffset.UtcNow)
        {
            // The service completes the batch at CompleteAfter on its own (the batch was created or updated with it).
            await SaveAsync(step, new { batch = spec.Name, action = "completes-at", complete_after = Comparable.Date(after), status = progress.Status });
            return true;
        }

        await context.SaveStepAsync(step, StepStatus.Running, null, progress.Serialize());
        if (progress.State == BatchState.Synced)
        {
            await session.InvokeAsync("Complete-MigrationBatch", [("Identity", spec.Name), ("Confirm", false)], cancellationToken);
        }
        else if (!progress.Status.Equals("Completing", StringComparison.OrdinalIgnoreCase))
        {
            throw new MigrationException(Diagnose.ExchangeBatchFailed(_migration.Location, spec.Name, progress.Status,
                "a batch completes from Synced or SyncedWithErrors", hint: "run apply again once its initial sync is done"));
        }

        var (settled, final) = await WaitAsync(step, spec, s => s is BatchState.Completed or BatchState.Failed or BatchState.Stopped, [], cancellationToken);
        if (!settled || final.State != BatchState.Completed)
        {
            return await ConcludeAsync(step, spec, settled, final);
        }

        return await FinishAsync(step, spec, final, cancellationToken);
    }

    /// <summary>A completed batch: users that failed completion are reported; with exchange.removeWhenCompleted the batch is removed.</summary>
    private async Task<bool> FinishAsync(Step step, BatchSpec spec, BatchProgress final, CancellationToken cancellationToken)
    {
        if (!await ConcludeAsync(step, spec, settled: true, final))
        {
            return false;
        }

        if (_migration.Exchange.RemoveWhenCompleted)
        {
            // The last step of Microsoft's cutover and staged articles: delete the batch once it is completed.
            // https://learn.microsoft.com/powershell/module/exchangepowershell/remove-migrationbatch
            await session.InvokeAsync("Remove-MigrationBatch", [("Identity", spec.Name), ("Confirm", false)], cancellationToken);
            var result = (JsonObject)final.Json.DeepClone();
            result["removed"] = true;
            await context.SaveStepAsync(step, StepStatus.Succeeded, null, result.ToJsonString());
        }

        return true;
    }
}
