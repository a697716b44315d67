using System.Globalization;
using System.Management.Automation;
using System.Text.Json.Nodes;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>One user of a batch as the service reports it: status, Data Consistency Score and skipped items by kind.</summary>
internal sealed record UserProgress(string Identity, string Status, UserState State, string Dcs, long? Synced, long Skipped, IReadOnlyDictionary<string, int> SkippedByKind, bool Approved, string? Error)
{
    /// <summary>Grades that need an approval of skipped items before a remote move or Google Workspace batch completes (DCS article).</summary>
    public bool NeedsApproval => !Approved && Dcs is "Investigate" or "Poor";

    public string Describe() =>
        $"{Identity} ({Dcs}, {Skipped} skipped" + (SkippedByKind.Count == 0 ? string.Empty : ": " + string.Join(", ", SkippedByKind.Select(k => $"{k.Key} {k.Value}"))) + ")";
}

internal sealed record BatchProgress(string Status, BatchState State, string? Dcs, string? Message, IReadOnlyList<UserProgress> Users, JsonObject Json)
{
    public string Serialize() => Json.ToJsonString();
}

/// <summary>Polling a batch and waiting for it, always within a bound.</summary>
internal sealed partial class StepRunner
{
    /// <summary>
    /// The batch, its users (one Get-MigrationUser -ResultSize Unlimited) and, for the users that need a closer look (failed or stopped, or a
    /// Data Consistency Score other than Perfect), Get-MigrationUserStatistics -IncludeSkippedItems: the documented way to see skipped items.
    /// https://learn.microsoft.com/exchange/mailbox-migration/track-prevent-data-loss-dcs
    /// </summary>
    private async Task<BatchProgress> PollAsync(BatchSpec spec, IReadOnlyList<string> retried, CancellationToken cancellationToken)
    {
        var batch = await GetAsync("Get-MigrationBatch", spec.Name, cancellationToken)
            ?? throw new MigrationException(Diagnose.ExchangeBatchFailed(_migration.Location, spec.Name, "missing", "Exchange Online no longer has the batch",
                hint: "run apply again to create it"));
        var status = Text(batch, "Status");
        var state = MigrationStatuses.OfBatch(status);
        if (state == BatchState.Unknown)
        {
            throw new MigrationException(Diagnose.ExchangeUnknownStatus(_migration.Location, spec.Name, "the batch", status,
                hint: "report it; apply follows the statuses Get-MigrationBatch documents"));
        }

        var users = new List<UserProgress>();
        foreach (var user in await UsersOfAsync(spec.Name, cancellationToken))
        {
            users.Add(await UserAsync(spec, user, cancellationToken));
        }

        var message = batch.Properties["Message"]?.Value is { } text ? session.Redact(Comparable.Of(text)) : null;
        var dcs = Text(batch, "DataConsistencyScore");
        var json = new JsonObject
        {
            ["batch"] = spec.Name,
            ["status"] = status,
            ["data_consistency_score"] = dcs.Length == 0 ? null : dcs,
            ["message"] = message,
            ["polled_at"] = Comparable.Date(DateTimeOffset.UtcNow),
            ["completed"] = state == BatchState.Completed,
            ["retried_users"] = new JsonArray([.. retried.Select(r => (JsonNode?)r)]),
            ["users"] = new JsonArray([.. users.Select(u => (JsonNode?)new JsonObject
            {
                ["identity"] = u.Identity,
                ["status"] = u.Status,
                ["data_consistency_score"] = u.Dcs,
                ["items_synced"] = u.Synced,
                ["items_skipped"] = u.Skipped,
                ["skipped_by_kind"] = new JsonObject(u.SkippedByKind.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)k.Value))),
                ["skipped_items_approved"] = u.Approved,
                ["error"] = u.Error,
            })]),
        };
        return new BatchProgress(status, state, dcs.Length == 0 ? null : dcs, message, users, json);
    }

    private async Task<UserProgress> UserAsync(BatchSpec spec, PSObject user, CancellationToken cancellationToken)
    {
        var identity = Text(user, "Identity");
        var status = Text(user, "Status");
        var dcs = Text(user, "DataConsistencyScore");
        var state = MigrationStatuses.OfUser(status);
        if (state == UserState.Unknown)
        {
            throw new MigrationException(Diagnose.ExchangeUnknownStatus(_migration.Location, spec.Name, identity, status,
                hint: "report it; apply follows the statuses Get-MigrationUser documents"));
        }

        if (state is not (UserState.Failed or UserState.Stopped) && dcs is "" or "Perfect")
        {
            return new UserProgress(identity, status, state, dcs.Length == 0 ? "Perfect" : dcs, null, 0, new Dictionary<string, int>(), false, null);
        }

        var statistics = (await session.InvokeAsync("Get-MigrationUserStatistics", [("Identity", identity), ("IncludeSkippedItems", true)], cancellationToken)).FirstOrDefault();
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (statistics?.Properties["SkippedItems"]?.Value is { } items)
        {
            foreach (var item in LanguagePrimitives.GetEnumerable(items) ?? Array.Empty<object>())
            {
                var entry = PSObject.AsPSObject(item);
                var kind = Text(entry, "Kind") is { Length: > 0 } named ? named : Text(entry, "ScoringClassifications") is { Length: > 0 } scored ? scored : "Unclassified";
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            }
        }

        var error = Text(statistics, "Error");
        return new UserProgress(
            identity,
            Text(statistics, "Status") is { Length: > 0 } detailed ? detailed : status,
            state,
            Text(statistics, "DataConsistencyScore") is { Length: > 0 } score ? score : dcs,
            Number(statistics?.Properties["SyncedItemCount"]?.Value),
            Number(statistics?.Properties["SkippedItemCount"]?.Value) ?? 0,
            kinds,
            Text(statistics, "SkippedItemApprovalTime").Length > 0,
            error.Length > 0 ? session.Redact(error) : null);
    }

    /// <summary>Polls until <paramref name="settled"/> holds and no user is in progress, or the wait's bound passes (then the batch keeps running).</summary>
    private async Task<(bool Settled, BatchProgress Progress)> WaitAsync(Step step, BatchSpec spec, Func<BatchState, bool> settled, IReadOnlyList<string> retried, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        while (true)
        {
            var progress = await PollAsync(spec, retried, cancellationToken);
            if (settled(progress.State) && progress.Users.All(u => u.State != UserState.InProgress))
            {
                return (true, progress);
            }

            await context.SaveStepAsync(step, StepStatus.Running, null, progress.Serialize());
            if (DateTimeOffset.UtcNow - started >= MaxWait)
            {
                return (false, progress);
            }

            await Task.Delay(options.PollInterval, cancellationToken);
        }
    }

    private async Task<bool> ConcludeAsync(Step step, BatchSpec spec, bool settled, BatchProgress final)
    {
        if (!settled)
        {
            diagnostics.Add(Diagnose.ExchangeStillRunning(_migration.Location, spec.Name, final.Status,
                $"apply followed it for {MaxWait.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} minutes (exchange.maxWaitMinutes, MIGRATE_EXO_MAX_WAIT_MINUTES); run apply again to keep following it (it keeps running in Exchange Online)"));
            return false;
        }

        if (final.State == BatchState.Failed)
        {
            diagnostics.Add(Diagnose.ExchangeBatchFailed(_migration.Location, spec.Name, final.Status, final.Message ?? "no reason given",
                hint: "see Get-MigrationBatch -IncludeReport; run apply again to retry"));
            await context.SaveStepAsync(step, StepStatus.Failed, $"batch {spec.Name} is {final.Status}", final.Serialize());
            return false;
        }

        var failedUsers = final.Users.Where(u => u.State is UserState.Failed or UserState.Stopped).ToList();
        if (failedUsers.Count > 0)
        {
            diagnostics.Add(Diagnose.ExchangeUsersFailed(_migration.Location,
                failedUsers.Count, final.Users.Count, spec.Name, string.Join("; ", failedUsers.Take(5).Select(u => $"{u.Identity}: {u.Status}, {u.Error ?? "no error given"}")),
                    hint: "run apply again to retry them (Start-MigrationUser)"));
            await context.SaveStepAsync(step, StepStatus.Failed, $"{failedUsers.Count} user(s) failed", final.Serialize());
            return false;
        }

        await context.SaveStepAsync(step, StepStatus.Succeeded, null, final.Serialize());
        return true;
    }

    private static long? Number(object? value) =>
        long.TryParse(Comparable.Of(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;
}
