using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Formatting;

/// <summary>The formatted text (null when the YAML could not be parsed) and the parse diagnostics.</summary>
public sealed record FormatResult(string? Formatted, IReadOnlyList<Diagnostic> Diagnostics);
