using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Execution;

/// <summary>The adapters the host wires in; the core knows them only by endpoint type.</summary>
public sealed partial class AdapterRegistry
{
    private readonly Dictionary<string, IMailSourceFactory> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IMailTargetFactory> _targets = new(StringComparer.Ordinal);

    /// <summary>Runs Exchange-native migrations; null in a build without them.</summary>
    public INativeMigrationExecutor? Native { get; private set; }

    public AdapterRegistry Add(INativeMigrationExecutor executor)
    {
        Native = executor;
        return this;
    }

    public AdapterRegistry Add(IMailSourceFactory factory)
    {
        foreach (var type in factory.Types)
        {
            _sources[type] = factory;
        }

        return this;
    }

    public AdapterRegistry Add(IMailTargetFactory factory)
    {
        foreach (var type in factory.Types)
        {
            _targets[type] = factory;
        }

        return this;
    }

    /// <summary>Requests sent so far by the target factories that count them (<see cref="IRequestCountingFactory"/>).</summary>
    public long TargetRequestsSent => _targets.Values.Distinct().OfType<IRequestCountingFactory>().Sum(f => f.RequestsSent);

    public bool HasSource(string type) => _sources.ContainsKey(type);

    public bool HasTarget(string type) => _targets.ContainsKey(type);

    public IMailSourceFactory Source(string type, SourceLocation location) =>
        _sources.TryGetValue(type, out var factory)
            ? factory
            : throw new MigrationException(DiagnosticCatalog.AdapterMissing.Create(location, null, "source", type));

    public IMailTargetFactory Target(string type, SourceLocation location) =>
        _targets.TryGetValue(type, out var factory)
            ? factory
            : throw new MigrationException(DiagnosticCatalog.AdapterMissing.Create(location, null, "target", type));
}
