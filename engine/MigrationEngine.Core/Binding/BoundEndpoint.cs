using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Binding;

/// <summary>A source or target with its mapping and name key.</summary>
public sealed record BoundEndpoint(YamlTreeScalar Key, YamlTreeMapping Node, EndpointDefinition Definition);
