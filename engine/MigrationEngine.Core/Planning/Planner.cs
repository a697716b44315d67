using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Planning;

/// <summary>Plan stage: compares the graph with recorded steps. Reads state only; never connects to a server.</summary>
public static class Planner
{
    public static async Task<PlanResult> PlanAsync(PlanModel plan, ExecutionGraph graph, IStateStore? state, CancellationToken cancellationToken)
    {
        var records = state is null
            ? new Dictionary<string, StepRecord>()
            : await state.GetStepsAsync(plan.Name, cancellationToken);
        var stateHash = state is null ? StateHash.Empty : await state.GetStateHashAsync(plan.Name, cancellationToken);
        var planned = graph.Steps.Select(step => Decide(step, records)).ToList();
        return new PlanResult(plan, graph, planned, stateHash, state?.Location ?? "(none)");
    }

    /// <summary>
    /// Folds a refresh into the plan: a copy step that is done but whose source has new mail or flag changes becomes a
    /// re-run (the delta pass apply runs), so the plan shows the real difference between the plan and the sources.
    /// </summary>
    public static PlanResult WithRefresh(PlanResult result, RefreshResult refresh)
    {
        var pending = refresh.Mailboxes.Where(m => m.HasPending).ToDictionary(m => $"copy/{m.Migration}/{m.Mailbox}", StringComparer.Ordinal);
        // Exchange-native steps take what the service shows: a completed batch is unchanged, a batch the service removed is created again.
        var service = refresh.Native.SelectMany(n => n.Steps).ToDictionary(s => s.StepId, StringComparer.Ordinal);
        var steps = result.Steps.Select(planned =>
            planned.Action == PlannedAction.Unchanged && pending.TryGetValue(planned.Step.Id, out var found)
                ? planned with { Action = PlannedAction.Rerun, Reason = PendingText(found) + " (delta pass)" + VanishedText(found) }
                : service.TryGetValue(planned.Step.Id, out var native)
                    ? planned with { Action = native.Action, Reason = native.Reason }
                    : planned).ToList();
        return result with { Steps = steps, Refresh = refresh };
    }

    public static string PendingText(MailboxRefresh refresh) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{refresh.PendingMessages:N0} new messages in {refresh.FoldersChanged} folders")
        + (refresh.FlagChanges ? ", flag changes" : string.Empty);

    /// <summary>Said beside a mailbox whose source lost messages that were copied: not work for apply, but a reviewer should know.</summary>
    public static string VanishedText(MailboxRefresh refresh) => refresh.Vanished == 0
        ? string.Empty
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; {refresh.Vanished:N0} copied before are no longer in the source (kept in the target)");

    private static PlannedStep Decide(Step step, IReadOnlyDictionary<string, StepRecord> records)
    {
        var record = records.GetValueOrDefault(step.Id);
        return StepDecisions.Of(step, record) switch
        {
            StepProgress.NotRun when step.ExpandsAtRunTime => new PlannedStep(step, PlannedAction.CannotEvaluate, step.Kind == StepKind.CopyFolders
                ? "folders are listed from the source at run time; one step per folder"
                : "address books and calendars are listed from the source at run time and compared with the target"),
            StepProgress.NotRun => new PlannedStep(step, PlannedAction.Create, null),
            StepProgress.InputsChanged => new PlannedStep(step, PlannedAction.Rerun, "plan inputs changed since it ran"),
            StepProgress.Done => new PlannedStep(step, PlannedAction.Unchanged, null),
            StepProgress.Interrupted => new PlannedStep(step, PlannedAction.Rerun, "interrupted last time; apply resumes it"),
            StepProgress.Failed => new PlannedStep(step, PlannedAction.Rerun, "failed last time" + (record!.Error is null ? string.Empty : ": " + record.Error)),
            _ => new PlannedStep(step, PlannedAction.Rerun, "did not finish last time"),
        };
    }
}
