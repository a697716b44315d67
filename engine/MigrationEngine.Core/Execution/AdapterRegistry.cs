using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Execution;

/// <summary>The adapters the host wires in; the core knows them only by endpoint type.</summary>
public sealed partial class AdapterRegistry
{
    private readonly Dictionary<EndpointType, IMailSourceFactory> _sources = [];
    private readonly Dictionary<EndpointType, IMailTargetFactory> _targets = [];

    /// <summary>Runs Exchange-native migrations; null in a build without them.</summary>
    public INativeMigrationExecutor? Native { get; private set; }

    public AdapterRegistry Add(INativeMigrationExecutor executor)
    {
        Native = executor;
        return this;
    }

    public AdapterRegistry Add(IMailSourceFactory factory) => Register(_sources, factory.Types, factory);

    public AdapterRegistry Add(IMailTargetFactory factory) => Register(_targets, factory.Types, factory);

    /// <summary>Requests sent so far by the target factories that count them (<see cref="IRequestCountingFactory"/>).</summary>
    public long TargetRequestsSent => _targets.Values.Distinct().OfType<IRequestCountingFactory>().Sum(f => f.RequestsSent);

    public bool HasSource(EndpointType type) => _sources.ContainsKey(type);

    public bool HasTarget(EndpointType type) => _targets.ContainsKey(type);

    public IMailSourceFactory Source(EndpointType type, SourceLocation location) => Find(_sources, type, location, "source");

    public IMailTargetFactory Target(EndpointType type, SourceLocation location) => Find(_targets, type, location, "target");

    /// <summary>Files a factory under each endpoint type it serves (a later one for the same type replaces the earlier).</summary>
    private AdapterRegistry Register<T>(Dictionary<EndpointType, T> factories, IEnumerable<EndpointType> types, T factory)
    {
        foreach (var type in types)
        {
            factories[type] = factory;
        }

        return this;
    }

    /// <summary>The factory for an endpoint type; a build without it is the adapter-missing diagnostic at the endpoint's line.</summary>
    private static T Find<T>(Dictionary<EndpointType, T> factories, EndpointType type, SourceLocation location, string role) =>
        factories.TryGetValue(type, out var factory)
            ? factory
            : throw new MigrationException(Diagnose.AdapterMissing(location, role, type.Yaml()));
}
