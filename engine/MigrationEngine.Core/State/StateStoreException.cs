namespace MigrationEngine.Core.State;

/// <summary>
/// The state database cannot be used (corrupt, newer schema, unreadable, unreachable). The message says which database
/// and why; <see cref="Hint"/>, when the store knows the way out for this cause, replaces the general advice for a damaged
/// state (a database that cannot be reached is not damaged).
/// </summary>
public sealed class StateStoreException(string message, Exception? inner = null, string? hint = null) : Exception(message, inner)
{
    public string? Hint { get; } = hint;
}
