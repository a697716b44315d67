namespace MigrationEngine.Core.Secrets;

/// <summary>A secret reference that cannot be resolved; the message names the reference, never a value.</summary>
public sealed class SecretUnavailableException(string message) : Exception(message);
