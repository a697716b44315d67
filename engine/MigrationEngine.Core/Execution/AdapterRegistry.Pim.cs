using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Execution;

/// <summary>The contacts and calendar adapters (<see cref="IPimSourceFactory"/>, <see cref="IPimTargetFactory"/>), by endpoint type.</summary>
public sealed partial class AdapterRegistry
{
    private readonly Dictionary<string, IPimSourceFactory> _pimSources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IPimTargetFactory> _pimTargets = new(StringComparer.Ordinal);

    public AdapterRegistry Add(IPimSourceFactory factory) => Register(_pimSources, factory.Types, factory);

    public AdapterRegistry Add(IPimTargetFactory factory) => Register(_pimTargets, factory.Types, factory);

    public bool HasPimSource(string type) => _pimSources.ContainsKey(type);

    public bool HasPimTarget(string type) => _pimTargets.ContainsKey(type);

    public IPimSourceFactory PimSource(string type, SourceLocation location) => Find(_pimSources, type, location, "source");

    public IPimTargetFactory PimTarget(string type, SourceLocation location) => Find(_pimTargets, type, location, "target");
}
