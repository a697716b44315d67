using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Binding;

/// <summary>A migration with its mapping, its resolved endpoints (null when the reference is unknown) and its dependencies as written.</summary>
public sealed record BoundMigration(
    MigrationDefinition Definition,
    YamlTreeMapping Node,
    EndpointDefinition? Source,
    EndpointDefinition? Target,
    IReadOnlyList<(string Name, YamlTreeScalar Node)> DependsOn);
