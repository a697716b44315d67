using System.Management.Automation;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Planning;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>
/// plan's read-only look at an Exchange-native migration: the endpoint, each batch and its users as the service reports them now, turned
/// into what apply would do with the same decisions the step runner takes (<see cref="ServiceDecisions"/>). Only Get- cmdlets run:
/// Get-MigrationEndpoint -Identity "retrieve[s] migration endpoint settings" (https://learn.microsoft.com/powershell/module/exchangepowershell/get-migrationendpoint),
/// Get-MigrationBatch -Identity "retrieve[s] status information about the current migration batch" (its Status, one of the values
/// <see cref="MigrationStatuses"/> lists; https://learn.microsoft.com/powershell/module/exchangepowershell/get-migrationbatch), and
/// Get-MigrationUser -BatchId -ResultSize Unlimited for the users' statuses. A missing object is the documented "couldn't be found" error.
/// </summary>
internal sealed class ExchangeServiceRefresh(NativeRefreshContext context, PowerShellSession session, ExchangeDesiredState desired)
{
    private readonly MigrationDefinition _migration = context.Migration;
    private readonly Dictionary<string, PSObject?> _batches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<PSObject>> _users = new(StringComparer.Ordinal);

    /// <summary>Batches the service removed that apply creates again: their later steps run whatever state says.</summary>
    private readonly HashSet<string> _toCreate = new(StringComparer.Ordinal);

    /// <summary>Batches the service removed after completion that apply reports completed.</summary>
    private readonly HashSet<string> _reportedCompleted = new(StringComparer.Ordinal);

    public async Task<NativeRefresh> RunAsync(CancellationToken cancellationToken)
    {
        var steps = new List<NativeStepRefresh>();
        foreach (var step in context.Steps)
        {
            var record = context.Records.GetValueOrDefault(step.Id);
            var done = StepDecisions.IsDone(step, record);
            // Without work in the service, a step state does not record as done keeps the action state gives it (apply records it).
            var stateAction = done ? PlannedAction.Unchanged : record is null ? PlannedAction.Create : PlannedAction.Rerun;
            NativeStepRefresh? refreshed = step.Kind switch
            {
                StepKind.EnsureEndpoint => await EndpointAsync(step, stateAction, cancellationToken),
                StepKind.EnsureBatch => await EnsureBatchAsync(step, desired.BatchFor(step), stateAction, cancellationToken),
                StepKind.StartBatch => await StartBatchAsync(step, desired.BatchFor(step), done, stateAction, cancellationToken),
                StepKind.CompleteBatch => await CompleteBatchAsync(step, desired.BatchFor(step), done, stateAction, cancellationToken),
                _ => null,
            };
            if (refreshed is not null)
            {
                steps.Add(refreshed);
            }
        }

        var users = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (batch, list) in _users)
        {
            foreach (var user in list)
            {
                users[Text(user, "Identity")] = $"Exchange Online: {Text(user, "Status")} in batch {batch}";
            }
        }

        foreach (var batch in _reportedCompleted)
        {
            foreach (var user in desired.Batches.Where(b => b.Name == batch).SelectMany(b => b.Users))
            {
                users.TryAdd(user, $"batch {batch} completed and removed by Exchange Online");
            }
        }

        return new NativeRefresh(_migration.Name, true, null, steps, users);
    }

    private async Task<NativeStepRefresh> EndpointAsync(Step step, PlannedAction stateAction, CancellationToken cancellationToken)
    {
        var spec = desired.Endpoint;
        var existing = await session.GetOneAsync("Get-MigrationEndpoint", spec.Name, cancellationToken);
        if (existing is null)
        {
            return new(step.Id, PlannedAction.Create, $"endpoint {spec.Name} is not in Exchange Online: apply creates it");
        }

        var type = Text(existing, "EndpointType");
        if (type.Length > 0 && !string.Equals(type, spec.EndpointType, StringComparison.OrdinalIgnoreCase))
        {
            return new(step.Id, PlannedAction.Rerun, $"Exchange Online has endpoint {spec.Name} of type {type}, the plan asks for {spec.EndpointType}: apply refuses (MIG1105)");
        }

        var changed = ServiceDecisions.Changed(spec.Settings, existing);
        return changed.Count > 0
            ? new(step.Id, PlannedAction.Rerun, "settings differ in Exchange Online: " + string.Join(", ", changed.Select(c => c.Parameter)))
            : new(step.Id, stateAction, $"endpoint {spec.Name} is in Exchange Online as planned");
    }

    private async Task<NativeStepRefresh> EnsureBatchAsync(Step step, BatchSpec spec, PlannedAction stateAction, CancellationToken cancellationToken)
    {
        var existing = await BatchAsync(spec, cancellationToken);
        if (existing is null)
        {
            var (existed, completed) = ServiceDecisions.Recorded(context.Records, _migration, spec);
            if (existed && ServiceDecisions.WhenRemoved(_migration, completed) == RemovedBatchAction.ReportCompleted)
            {
                _reportedCompleted.Add(spec.Name);
                return new(step.Id, PlannedAction.Unchanged, $"batch {spec.Name} was removed by Exchange Online after it {(completed ? "completed" : "was created")}; reported completed (exchange.whenRemoved)");
            }

            _toCreate.Add(spec.Name);
            return new(step.Id, PlannedAction.Create, existed
                ? $"batch {spec.Name} was removed by Exchange Online: apply creates it again"
                : $"batch {spec.Name} is not in Exchange Online: apply creates it");
        }

        if (ServiceDecisions.Immutable(spec, existing) is var (setting, actual))
        {
            return new(step.Id, PlannedAction.Rerun, $"Exchange Online has {setting.Parameter} = '{actual}', the plan asks for '{setting.Expected}', which an existing batch cannot change: apply refuses (MIG1105)");
        }

        var changes = ServiceDecisions.Changed(spec.Settings, existing).Select(c => c.Parameter).ToList();
        if (spec.Csv is not null)
        {
            var present = (await UsersAsync(spec, cancellationToken)).Select(u => Text(u, "Identity").ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var added = spec.Users.Count(u => !present.Contains(u));
            if (added > 0)
            {
                changes.Add($"{added} users to add");
            }
        }

        return changes.Count > 0
            ? new(step.Id, PlannedAction.Rerun, "batch differs in Exchange Online: " + string.Join(", ", changes))
            : new(step.Id, stateAction, $"Exchange Online: batch {Text(existing, "Status")}");
    }

    private async Task<NativeStepRefresh> StartBatchAsync(Step step, BatchSpec spec, bool done, PlannedAction stateAction, CancellationToken cancellationToken)
    {
        if (Removed(step, spec) is { } removed)
        {
            return removed;
        }

        var batch = (await BatchAsync(spec, cancellationToken))!;
        var status = Text(batch, "Status");
        var state = MigrationStatuses.OfBatch(status);
        if (state == BatchState.Unknown)
        {
            return new(step.Id, PlannedAction.Rerun, $"Exchange Online reports batch status '{status}', which the references do not list: apply stops (MIG1130)");
        }

        var retry = (await UsersAsync(spec, cancellationToken)).Where(u => MigrationStatuses.OfUser(Text(u, "Status")) is UserState.Failed or UserState.Stopped).ToList();
        if (!ServiceDecisions.StartHasWork(done, false, state, retry.Count))
        {
            return new(step.Id, PlannedAction.Unchanged, $"Exchange Online: batch {status}");
        }

        var reason = state switch
        {
            BatchState.Created => $"batch {status} and not started: apply starts it",
            BatchState.Stopped or BatchState.Failed => $"batch {status} in Exchange Online: apply starts it again",
            _ when retry.Count > 0 => $"{retry.Count} users {string.Join(", ", retry.Select(u => Text(u, "Status")).Distinct(StringComparer.Ordinal))} in Exchange Online: apply retries them",
            _ => $"Exchange Online: batch {status}; apply follows it",
        };
        return new(step.Id, done ? PlannedAction.Rerun : stateAction, reason);
    }

    private async Task<NativeStepRefresh> CompleteBatchAsync(Step step, BatchSpec spec, bool done, PlannedAction stateAction, CancellationToken cancellationToken)
    {
        if (Removed(step, spec) is { } removed)
        {
            return removed;
        }

        var status = Text(await BatchAsync(spec, cancellationToken), "Status");
        if (MigrationStatuses.OfBatch(status) == BatchState.Completed)
        {
            return new(step.Id, PlannedAction.Unchanged, $"Exchange Online: batch {status}");
        }

        if (done || (!spec.Complete && spec.CompleteAfter is null))
        {
            return new(step.Id, stateAction, $"Exchange Online: batch {status}" + (spec.Complete ? string.Empty : "; the plan leaves it synced"));
        }

        return new(step.Id, stateAction, spec.CompleteAfter is { } after && after > DateTimeOffset.UtcNow
            ? $"Exchange Online: batch {status}; it completes at {Comparable.Date(after)}"
            : $"Exchange Online: batch {status}; apply completes it");
    }

    /// <summary>The later steps of a batch the service removed: reported completed, or created again with the batch.</summary>
    private NativeStepRefresh? Removed(Step step, BatchSpec spec) =>
        _reportedCompleted.Contains(spec.Name) ? new(step.Id, PlannedAction.Unchanged, $"batch {spec.Name} reported completed")
        : _toCreate.Contains(spec.Name) ? new(step.Id, PlannedAction.Create, $"after batch {spec.Name} is created")
        : null;

    private async Task<PSObject?> BatchAsync(BatchSpec spec, CancellationToken cancellationToken)
    {
        if (!_batches.TryGetValue(spec.Name, out var batch))
        {
            _batches[spec.Name] = batch = await session.GetOneAsync("Get-MigrationBatch", spec.Name, cancellationToken);
        }

        return batch;
    }

    private async Task<IReadOnlyList<PSObject>> UsersAsync(BatchSpec spec, CancellationToken cancellationToken)
    {
        if (!_users.TryGetValue(spec.Name, out var users))
        {
            _users[spec.Name] = users = await session.MigrationUsersAsync(spec.Name, cancellationToken);
        }

        return users;
    }

    private static string Text(PSObject? item, string property) => Comparable.Of(item?.Properties[property]?.Value);
}
