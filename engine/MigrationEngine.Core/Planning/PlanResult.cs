using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Planning;

/// <summary>What apply would do: every step of the graph with its action, against the state's current contents.</summary>
public sealed record PlanResult(PlanModel Plan, ExecutionGraph Graph, IReadOnlyList<PlannedStep> Steps, string StateHash, string StateLocation)
{
    /// <summary>What the read-only look at the sources found; null for an offline plan (<c>--refresh=false</c>).</summary>
    public RefreshResult? Refresh { get; init; }

    /// <summary>True when the refresh read at least one mailbox that was copied before: only then is it worth showing.</summary>
    public bool ShowsRefresh => Refresh is not null && Refresh.Mailboxes.Any(m => m.State != RefreshState.NeverCopied);

    public int Count(PlannedAction action) => Steps.Count(s => s.Action == action);

    public bool HasChanges => Steps.Any(s => s.Action != PlannedAction.Unchanged);
}
