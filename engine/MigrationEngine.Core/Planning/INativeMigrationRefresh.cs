
namespace MigrationEngine.Core.Planning;

/// <summary>
/// Implemented by an Exchange-native executor that can read its migrations' service objects without changing them, so
/// <c>plan</c> shows the real difference (a completed batch is unchanged; a batch the service removed is created again).
/// </summary>
public interface INativeMigrationRefresh
{
    /// <summary>Reads the migration's endpoint, batches and users; never calls a cmdlet that changes the tenant. Never throws for a service or user error.</summary>
    Task<NativeRefresh> RefreshAsync(NativeRefreshContext context, CancellationToken cancellationToken);
}
