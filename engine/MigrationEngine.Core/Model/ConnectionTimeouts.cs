
namespace MigrationEngine.Core.Model;

/// <summary>Seconds a connection may stall in each phase (IMAP <c>timeouts</c>); a stall names its phase.</summary>
public sealed record ConnectionTimeouts
{
    public int ConnectSeconds { get; init; } = 30;
    public int GreetingSeconds { get; init; } = 30;
    public int TlsSeconds { get; init; } = 30;
    public int CommandSeconds { get; init; } = 120;
}
