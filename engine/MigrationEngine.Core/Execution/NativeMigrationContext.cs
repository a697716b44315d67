using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

public sealed record NativeMigrationContext(
    PlanModel Plan,
    MigrationDefinition Migration,
    IReadOnlyList<Step> Steps,
    IReadOnlyDictionary<string, StepRecord> Records,
    Func<Step, StepStatus, string?, string?, Task> SaveStepAsync,
    IStateStore State,
    Serilog.ILogger Logger);
