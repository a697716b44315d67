
namespace MigrationEngine.Core.Execution;

/// <summary>What the shared state said about this apply as a worker: it renders the reports when it was the round's last.</summary>
public sealed record WorkerOutcome(long WorkerId, long RoundId, bool RendersReports);
