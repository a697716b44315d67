using MigrationEngine.Core.Compilation;

namespace MigrationEngine.Core.Planning;

public sealed record PlannedStep(Step Step, PlannedAction Action, string? Reason);
