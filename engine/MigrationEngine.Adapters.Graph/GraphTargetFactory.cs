using System.Collections.Concurrent;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// Exchange Online target (type <c>graph</c>). One Graph client per target endpoint is shared by all mailboxes;
/// <see cref="Metrics"/> sums requests, messages and throttling waits for the run summary.
/// </summary>
public sealed class GraphTargetFactory(GraphTargetOptions? options = null) : IMailTargetFactory, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<GraphConnection>> _connections = new(StringComparer.Ordinal);

    public GraphTargetOptions Options { get; } = options ?? new GraphTargetOptions();

    public GraphTargetMetrics Metrics { get; } = new();

    public IReadOnlyCollection<string> Types { get; } = ["graph"];

    public async Task<IMailTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        var connection = ConnectionFor(context.Plan, context.Endpoint);
        return await GraphTarget.OpenAsync(connection, context, cancellationToken);
    }

    /// <summary>For the planner: who is missing in the tenant, and user creation.</summary>
    public GraphProvisioner CreateProvisioner(PlanModel plan, EndpointDefinition endpoint) => new(ConnectionFor(plan, endpoint), plan);

    private GraphConnection ConnectionFor(PlanModel plan, EndpointDefinition endpoint)
    {
        var key = plan.PlanFile + "\n" + endpoint.Name + "\n" + endpoint.CanonicalSettings;
        var lazy = _connections.GetOrAdd(key, _ => new Lazy<GraphConnection>(() => GraphConnection.Create(plan, endpoint, Options, Metrics)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A configuration error is reported for every mailbox, not cached as a half-built client.
            _connections.TryRemove(key, out _);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _connections.Values.Where(l => l.IsValueCreated))
        {
            lazy.Value.Dispose();
        }

        _connections.Clear();
    }
}
