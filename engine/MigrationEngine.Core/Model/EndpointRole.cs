
namespace MigrationEngine.Core.Model;

public enum EndpointRole
{
    Source,
    Target,
}
