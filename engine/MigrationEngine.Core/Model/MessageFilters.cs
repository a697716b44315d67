
namespace MigrationEngine.Core.Model;

public sealed record MessageFilters
{
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Before { get; init; }
    public long? MaxMessageSize { get; init; }
    public bool IncludeDeleted { get; init; }
}
