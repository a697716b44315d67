
namespace MigrationEngine.Cli;

/// <summary>A command-line mistake found after parsing (for example a file that is not a plan).</summary>
public sealed class CliUsageException(string message) : Exception(message);
