using System.Collections.Concurrent;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using Serilog;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// What every part of one <c>apply</c> run shares: the plan, its compiled graph, the options, the state store and the
/// step records. Step outcomes are recorded here, against the graph's step ids, and nowhere else.
/// </summary>
internal sealed record RunContext(
    IStateStore State,
    AdapterRegistry Adapters,
    ILogger Logger,
    PlanModel Plan,
    ExecutionGraph Graph,
    ExecutionOptions Options,
    long RunId,
    ConcurrentDictionary<string, StepRecord> Steps,
    RunSummary Summary)
{
    /// <summary>When this run read the step records; a mailbox another apply ran after this is read again.</summary>
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Reads the mailbox's step records again (another apply ran it after this run started).</summary>
    public async Task ReloadMailboxStepsAsync(string migration, string mailbox, CancellationToken cancellationToken)
    {
        foreach (var (id, record) in await State.GetStepsAsync(Plan.Name, cancellationToken))
        {
            // Step ids are kind/migration/mailbox[/folder].
            var parts = id.Split('/', 4);
            if (parts.Length >= 3 && parts[1] == migration && parts[2] == mailbox)
            {
                Steps[id] = record;
            }
        }
    }
    /// <summary>This apply as a worker of a shared state; null with a state of its own (SQLite).</summary>
    public WorkerSession? Worker { get; init; }

    /// <summary>The gate of hosts with <c>maxConnections</c> that every connection opened passes.</summary>
    public required HostSlotGate HostSlots { get; init; }

    /// <summary>Who this run writes to targets as (plan and state), for the targets' owner markers.</summary>
    public TargetOwner? TargetOwner { get; init; }

    /// <summary>A step is done when it succeeded with the inputs it has now (a changed plan makes it pending again).</summary>
    public bool IsDone(Step step) =>
        StepDecisions.IsDone(step, Steps);

    public Task SaveStepAsync(Step step, StepStatus status, string? error, string? resultJson, CancellationToken cancellationToken) =>
        State.SaveStepAsync(Plan.Name, Record(step, status, error, resultJson), cancellationToken);

    /// <summary>As the one above, with the mailbox's deferred step ends in the same write.</summary>
    public Task SaveStepAsync(DeferredStepEnds deferred, Step step, StepStatus status, string? error, string? resultJson, CancellationToken cancellationToken) =>
        SaveAsync(deferred.TakeWith([Record(step, status, error, resultJson)]), cancellationToken);

    /// <summary>
    /// Records <paramref name="step"/>'s end (now, in <see cref="Steps"/> at once) without a write of its own: it goes with the
    /// mailbox's next step write (<see cref="DeferredStepEnds"/>).
    /// </summary>
    public void DeferStepEnd(DeferredStepEnds deferred, Step step, StepStatus status, string? resultJson) =>
        deferred.Add(Record(step, status, null, resultJson));

    /// <summary>
    /// Records <paramref name="step"/>'s start (now, in <see cref="Steps"/> at once) without a write of its own: it goes with the
    /// mailbox's next step write, or is replaced there by the step's end (<see cref="DeferredStepEnds"/>).
    /// </summary>
    public void DeferStepStart(DeferredStepEnds deferred, Step step) =>
        deferred.Add(Record(step, StepStatus.Running, null, null));

    /// <summary>
    /// Records <paramref name="finished"/>'s outcome and <paramref name="next"/>'s start in one write: nothing happens between
    /// them, so a crash leaves either both or neither, and the mailbox's steps cost one transaction (or round trip) less each.
    /// </summary>
    public Task SaveStepThenStartAsync(DeferredStepEnds deferred, Step finished, StepStatus status, string? resultJson, Step next, CancellationToken cancellationToken) =>
        SaveStepThenStartAsync(deferred, finished, status, resultJson, [next], cancellationToken);

    /// <summary>As the one above, with several steps that start together (ensure-folders and the copy run side by side).</summary>
    public Task SaveStepThenStartAsync(DeferredStepEnds deferred, Step finished, StepStatus status, string? resultJson, IReadOnlyList<Step> next, CancellationToken cancellationToken) =>
        SaveAsync(deferred.TakeWith([Record(finished, status, null, resultJson), .. next.Select(step => Record(step, StepStatus.Running, null, null))]), cancellationToken);

    private Task SaveAsync(IReadOnlyList<StepRecord> records, CancellationToken cancellationToken) =>
        records.Count == 1 ? State.SaveStepAsync(Plan.Name, records[0], cancellationToken) : State.SaveStepsAsync(Plan.Name, records, cancellationToken);

    /// <summary>The record of the step's new status (kept in <see cref="Steps"/> at once), from its previous one.</summary>
    private StepRecord Record(Step step, StepStatus status, string? error, string? resultJson)
    {
        Steps.TryGetValue(step.Id, out var previous);
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
        Steps[step.Id] = record;
        return record;
    }
}
