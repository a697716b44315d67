using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Execution;

/// <summary>The contacts and calendar adapters (<see cref="IPimSourceFactory"/>, <see cref="IPimTargetFactory"/>), by endpoint type.</summary>
public sealed partial class AdapterRegistry
{
    private readonly Dictionary<EndpointType, IPimSourceFactory> _pimSources = [];
    private readonly Dictionary<EndpointType, IPimTargetFactory> _pimTargets = [];

    public AdapterRegistry Add(IPimSourceFactory factory) => Register(_pimSources, factory.Types, factory);

    public AdapterRegistry Add(IPimTargetFactory factory) => Register(_pimTargets, factory.Types, factory);

    public bool HasPimSource(EndpointType type) => _pimSources.ContainsKey(type);

    public bool HasPimTarget(EndpointType type) => _pimTargets.ContainsKey(type);

    public IPimSourceFactory PimSource(EndpointType type, SourceLocation location) => Find(_pimSources, type, location, "source");

    public IPimTargetFactory PimTarget(EndpointType type, SourceLocation location) => Find(_pimTargets, type, location, "target");
}
