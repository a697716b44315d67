using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Planning;

/// <summary>What plan's refresh gives an Exchange-native migration's executor: its steps and what state recorded for them.</summary>
public sealed record NativeRefreshContext(PlanModel Plan, MigrationDefinition Migration, IReadOnlyList<Step> Steps, IReadOnlyDictionary<string, StepRecord> Records, Serilog.ILogger Logger);
