
namespace MigrationEngine.Cli;

/// <summary>Where commands write: stdout for results, stderr for diagnostics and progress.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error);
