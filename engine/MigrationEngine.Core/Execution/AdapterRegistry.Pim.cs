using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Execution;

/// <summary>The contacts and calendar adapters (<see cref="IPimSourceFactory"/>, <see cref="IPimTargetFactory"/>), by endpoint type.</summary>
public sealed partial class AdapterRegistry
{
    private readonly Dictionary<string, IPimSourceFactory> _pimSources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IPimTargetFactory> _pimTargets = new(StringComparer.Ordinal);

    public AdapterRegistry Add(IPimSourceFactory factory)
    {
        foreach (var type in factory.Types)
        {
            _pimSources[type] = factory;
        }

        return this;
    }

    public AdapterRegistry Add(IPimTargetFactory factory)
    {
        foreach (var type in factory.Types)
        {
            _pimTargets[type] = factory;
        }

        return this;
    }

    public bool HasPimSource(string type) => _pimSources.ContainsKey(type);

    public bool HasPimTarget(string type) => _pimTargets.ContainsKey(type);

    public IPimSourceFactory PimSource(string type, SourceLocation location) =>
        _pimSources.TryGetValue(type, out var factory)
            ? factory
            : throw new MigrationException(DiagnosticCatalog.AdapterMissing.Create(location, null, "source", type));

    public IPimTargetFactory PimTarget(string type, SourceLocation location) =>
        _pimTargets.TryGetValue(type, out var factory)
            ? factory
            : throw new MigrationException(DiagnosticCatalog.AdapterMissing.Create(location, null, "target", type));
}
