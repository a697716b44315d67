using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Planning;

/// <summary>
/// apply of a saved plan: the sources (and Exchange Online) read again and compared with the refresh figures the plan
/// recorded. The plan and the state are held exactly (MIG0556 otherwise); the world outside moves on its own, so a
/// difference is said (MIG1200, MIG1201) and apply converges on the sources as they are now, as a plain apply would.
/// </summary>
public static class SavedPlanDrift
{
    /// <summary>Refreshes the sources now and compares; no diagnostics when the plan recorded no refresh or nothing moved.</summary>
    public static async Task<IReadOnlyList<Diagnostic>> CheckAsync(SavedPlan saved, PlanModel plan, ExecutionGraph graph, IStateStore state, AdapterRegistry adapters,
        SourceLocation location, CancellationToken cancellationToken)
    {
        if (saved.Refresh is null)
        {
            return [];
        }

        var records = await state.GetStepsAsync(plan.Name, cancellationToken);
        var refresh = await new SourceRefresher(state, adapters).RefreshAsync(plan, graph, records, SourceRefresher.DefaultConcurrency, SourceRefresher.DefaultBudget, cancellationToken);
        var now = Planner.WithRefresh(await Planner.PlanAsync(plan, graph, state, cancellationToken), refresh);
        return Compare(saved, now, location);
    }

    public static IReadOnlyList<Diagnostic> Compare(SavedPlan saved, PlanResult now, SourceLocation location)
    {
        var diagnostics = new List<Diagnostic>();
        if (saved.Refresh is not { } then || now.Refresh is not { } current)
        {
            return diagnostics;
        }

        var before = then.Mailboxes.ToDictionary(m => (m.Migration, m.Mailbox));
        var moved = new List<string>();
        foreach (var mailbox in current.Mailboxes.Where(m => m.State == RefreshState.Refreshed))
        {
            // A mailbox not read then (budget, failure) has no figures to compare; one the plan did not have changes the plan hash.
            if (!before.TryGetValue((mailbox.Migration, mailbox.Mailbox), out var old) || old.State != RefreshWords.Of(RefreshState.Refreshed))
            {
                continue;
            }

            var oldFolders = old.Folders.ToDictionary(f => f.Path, StringComparer.Ordinal);
            var changes = new List<string>();
            foreach (var folder in mailbox.Folders)
            {
                if (!oldFolders.Remove(folder.Path, out var was))
                {
                    changes.Add($"{folder.Path} is new ({folder})");
                }
                else if (was != folder)
                {
                    changes.Add($"{folder.Path}: {was} then, {folder} now");
                }
            }

            changes.AddRange(oldFolders.Keys.Select(path => $"{path} is gone"));
            if (changes.Count > 0)
            {
                moved.Add($"{mailbox.Migration}/{mailbox.Mailbox}: {string.Join("; ", changes.Take(3))}{(changes.Count > 3 ? "; ..." : string.Empty)}");
            }
        }

        if (moved.Count > 0)
        {
            diagnostics.Add(Diagnose.SourcesMovedSincePlan(location,
                saved.CreatedAt, moved.Count, then.Mailboxes.Sum(m => m.PendingMessages), current.PendingMessages, Examples(moved),
                    hint: "apply copies what is pending now (it converges whatever the figures); to review the difference first, save a new plan with 'migrate plan --out'"));
        }

        // Exchange-native steps: what the service leads apply to now, against what the reviewed plan said.
        var savedSteps = saved.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var service = current.Native.Where(n => n.Refreshed).SelectMany(n => n.Steps)
            .Where(step => savedSteps.TryGetValue(step.StepId, out var was) && was.Action != PlanRenderer.Word(step.Action))
            .Select(step => $"{step.StepId} was '{savedSteps[step.StepId].Action}', now '{PlanRenderer.Word(step.Action)}' ({step.Reason})")
            .ToList();
        if (service.Count > 0)
        {
            diagnostics.Add(Diagnose.ServiceMovedSincePlan(location,
                saved.CreatedAt, service.Count, Examples(service),
                    hint: "apply acts on Exchange Online as it is now; to review the difference first, save a new plan with 'migrate plan --out'"));
        }

        return diagnostics;
    }

    private static string Examples(List<string> items) =>
        string.Join(" | ", items.Take(5)) + (items.Count > 5 ? $" | and {items.Count - 5} more" : string.Empty);
}
