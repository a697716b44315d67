namespace MigrationEngine.Core.State;

/// <summary>Thrown when another live process holds the plan's lock.</summary>
public sealed class PlanLockedException(string planName, LockOwner owner)
    : Exception($"plan '{planName}' is locked by {owner}")
{
    public string PlanName { get; } = planName;
    public LockOwner Owner { get; } = owner;
}
