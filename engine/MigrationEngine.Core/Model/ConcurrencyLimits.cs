
namespace MigrationEngine.Core.Model;

public sealed record ConcurrencyLimits
{
    public int Mailboxes { get; init; } = 4;
    public int ConnectionsPerMailbox { get; init; } = 2;
}
