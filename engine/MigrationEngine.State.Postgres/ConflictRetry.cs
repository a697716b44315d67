using Npgsql;

namespace MigrationEngine.State.Postgres;

/// <summary>
/// When a unit of state work is run again: PostgreSQL broke a deadlock by rolling back this session's transaction
/// (40P01), or refused a snapshot that could not be serialized (40001). Several workers of a plan write leases, the
/// ledger, steps and host slots at once; PostgreSQL's documentation asks applications to retry both
/// (https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html: "It may also be advisable to retry
/// deadlock failures"). The server has rolled the whole transaction back before it answers with either code, so a
/// retry never records anything twice; any other failure (a lost connection, whose commit may or may not have
/// happened) is not retried here.
/// </summary>
internal static class ConflictRetry
{
    /// <summary>Tries in all: a conflict that repeats this often is reported (MIG0590, with a hint to run again).</summary>
    public const int Attempts = 6;

    public static bool IsRolledBackConflict(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    /// <summary>
    /// A short wait that grows with each try, with jitter so that the two sessions of a deadlock do not meet again in
    /// step (the survivor usually finishes within milliseconds).
    /// </summary>
    public static TimeSpan Delay(int attempt) =>
        TimeSpan.FromMilliseconds((10 << Math.Min(attempt, 6)) * (0.5 + Random.Shared.NextDouble()));
}
