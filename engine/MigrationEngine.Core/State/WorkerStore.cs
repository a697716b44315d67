
namespace MigrationEngine.Core.State;

/// <summary>
/// A worker's place in the plan's current round: the applies whose lives overlap (or that join while the round waits for
/// the number of workers expected) form one round, and a mailbox finished in this round by any of them is not run again.
/// </summary>
public sealed record WorkerRegistration(long WorkerId, long RoundId, DateTimeOffset RoundStartedAt);
