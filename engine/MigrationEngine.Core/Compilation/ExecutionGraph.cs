namespace MigrationEngine.Core.Compilation;

/// <summary>The compiled plan: steps in a deterministic topological order.</summary>
public sealed class ExecutionGraph
{
    private readonly Dictionary<string, Step> _byId;

    public ExecutionGraph(string planName, IReadOnlyList<Step> steps)
    {
        PlanName = planName;
        Steps = steps;
        _byId = steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
    }

    public string PlanName { get; }

    public IReadOnlyList<Step> Steps { get; }

    public Step this[string id] => _byId[id];

    public bool Contains(string id) => _byId.ContainsKey(id);
}
