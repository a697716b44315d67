using System.Collections.Concurrent;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// Exchange Online target (type <c>graph</c>). One Graph client per target endpoint is shared by all mailboxes;
/// <see cref="Metrics"/> sums requests, messages and throttling waits for the run summary.
/// </summary>
public sealed partial class GraphTargetFactory(GraphTargetOptions? options = null) : IMailTargetFactory, IMailboxLicensing, IRequestCountingFactory, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<GraphConnection>> _connections = new(StringComparer.Ordinal);

    public GraphTargetOptions Options { get; } = options ?? new GraphTargetOptions();

    public GraphTargetMetrics Metrics { get; } = new();

    public IReadOnlyCollection<EndpointType> Types { get; } = [EndpointType.Graph];

    /// <summary>HTTP requests sent to Graph: the run summary reports them and requests per copied message.</summary>
    public long RequestsSent => Metrics.Requests;

    public async Task<IMailTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        var connection = ConnectionFor(context.Plan, context.Endpoint);
        return await GraphTarget.OpenAsync(connection, context, cancellationToken);
    }

    /// <summary>For the planner: who is missing in the tenant, and user creation.</summary>
    public GraphProvisioner CreateProvisioner(PlanModel plan, EndpointDefinition endpoint) => new(ConnectionFor(plan, endpoint), plan);

    /// <summary>Licenses users that an Exchange-native migration created (see <see cref="IMailboxLicensing"/>).</summary>
    public async Task<int> LicenseAsync(PlanModel plan, EndpointDefinition target, IReadOnlyList<MailboxEntry> mailboxes, CancellationToken cancellationToken)
    {
        if (target.Provision is not { Licenses.Count: > 0 } provision)
        {
            return 0;
        }

        var provisioner = CreateProvisioner(plan, target);
        var changed = 0;
        foreach (var mailbox in mailboxes)
        {
            changed += await provisioner.LicenseExistingAsync(mailbox, provision, cancellationToken) ? 1 : 0;
        }

        return changed;
    }

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
