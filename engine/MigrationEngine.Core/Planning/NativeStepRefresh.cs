
namespace MigrationEngine.Core.Planning;

/// <summary>One step of an Exchange-native migration as the service shows it now: the action apply would take and why.</summary>
public sealed record NativeStepRefresh(string StepId, PlannedAction Action, string Reason);
