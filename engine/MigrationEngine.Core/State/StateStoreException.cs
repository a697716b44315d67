namespace MigrationEngine.Core.State;

/// <summary>The state database cannot be used (corrupt, newer schema, unreadable). The message says which file and why.</summary>
public sealed class StateStoreException(string message, Exception? inner = null) : Exception(message, inner);
