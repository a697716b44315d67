namespace MigrationEngine.Core.State;

/// <summary>
/// The state database cannot be used (corrupt, newer schema, unreadable, unreachable). The message says which database
/// and why; <see cref="Hint"/>, when the store knows the way out for this cause, replaces the general advice for a damaged
/// state (a database that is locked, full or cannot be reached is not damaged).
/// </summary>
public sealed class StateStoreException(string message, Exception? inner = null, string? hint = null) : Exception(message, inner)
{
    /// <summary>
    /// Why running again is safe, for the hints of causes that leave the state sound (a lock, a full disk, a lost
    /// connection, a conflict with other applies): every write is a transaction, so a failed one left nothing half done.
    /// </summary>
    public const string RunAgainIsSafe =
        "what was recorded is kept, and every message is checked against the target before it is copied, so nothing is duplicated";

    public string? Hint { get; } = hint;
}
