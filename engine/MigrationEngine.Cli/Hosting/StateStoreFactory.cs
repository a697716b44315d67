using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.State;
using MigrationEngine.State.Postgres;
using MigrationEngine.State.Sqlite;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// Opens the state store a <c>--state</c> value names: PostgreSQL for <c>postgres://</c> / <c>postgresql://</c> URLs and
/// <c>Host=...</c> connection strings, otherwise a SQLite file path.
/// </summary>
public static class StateStoreFactory
{
    public static bool IsPostgres(string locationOrPath) => PostgresLocation.IsPostgres(locationOrPath);

    /// <summary>
    /// Opens (and for SQLite creates) the store. Throws <see cref="StateStoreException"/> with a message that names the
    /// store (never a password) and the cause.
    /// </summary>
    public static async Task<IStateStore> OpenAsync(string locationOrPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(locationOrPath);
        return IsPostgres(locationOrPath)
            ? await PostgresStateStore.OpenAsync(locationOrPath, cancellationToken)
            : await SqliteStateStore.OpenAsync(locationOrPath, cancellationToken);
    }

    /// <summary>What to show for a --state value: the path, or the URL without its password.</summary>
    public static string Describe(string locationOrPath) =>
        IsPostgres(locationOrPath) ? SafeDisplay(locationOrPath) : Path.GetFullPath(locationOrPath);

    /// <summary>MIG0558 for a store that would not open: where (never a password), the store's message and its hint.</summary>
    public static Diagnostic Unavailable(string locationOrPath, StateStoreException failure) =>
        Diagnose.StateUnavailable(SourceLocation.None(Describe(locationOrPath)), failure.Message, failure.Hint);

    private static string SafeDisplay(string location)
    {
        try
        {
            return PostgresLocation.Parse(location).Display;
        }
        catch (StateStoreException)
        {
            return "a PostgreSQL location";
        }
    }
}
