using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Binding;

/// <summary>
/// A secret as written. <see cref="PlanPath"/> names a plan property (<c>spec.sources.x.auth.password</c>); a CSV password has
/// <see cref="CsvSet"/> instead (the set whose CSV it is in), because plain CSV passwords are counted per file.
/// </summary>
public sealed record BoundSecret(string Text, SourceLocation Where, string? PlanPath, BoundMailboxSet? CsvSet);
