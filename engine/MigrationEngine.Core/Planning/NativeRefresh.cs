using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Planning;

/// <summary>What plan's refresh gives an Exchange-native migration's executor: its steps and what state recorded for them.</summary>
public sealed record NativeRefreshContext(PlanModel Plan, MigrationDefinition Migration, IReadOnlyList<Step> Steps, IReadOnlyDictionary<string, StepRecord> Records, Serilog.ILogger Logger);

/// <summary>One step of an Exchange-native migration as the service shows it now: the action apply would take and why.</summary>
public sealed record NativeStepRefresh(string StepId, PlannedAction Action, string Reason);

/// <summary>
/// An Exchange-native migration read from the service (read-only): per step what apply would do, per user the status the
/// service reports. <see cref="Refreshed"/> is false (with the reason in <see cref="Note"/>) when the module or the
/// credentials are not there; the steps then keep the decision state alone gives.
/// </summary>
public sealed record NativeRefresh(string Migration, bool Refreshed, string? Note, IReadOnlyList<NativeStepRefresh> Steps, IReadOnlyDictionary<string, string> UserStatuses)
{
    public static NativeRefresh NotRefreshed(string migration, string note) =>
        new(migration, false, note, [], new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
}

/// <summary>
/// Implemented by an Exchange-native executor that can read its migrations' service objects without changing them, so
/// <c>plan</c> shows the real difference (a completed batch is unchanged; a batch the service removed is created again).
/// </summary>
public interface INativeMigrationRefresh
{
    /// <summary>Reads the migration's endpoint, batches and users; never calls a cmdlet that changes the tenant. Never throws for a service or user error.</summary>
    Task<NativeRefresh> RefreshAsync(NativeRefreshContext context, CancellationToken cancellationToken);
}
