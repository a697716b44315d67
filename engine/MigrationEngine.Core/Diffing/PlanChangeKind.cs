namespace MigrationEngine.Core.Diffing;

/// <summary>What happened to a thing between two versions of a plan.</summary>
public enum PlanChangeKind
{
    Added,
    Removed,
    Changed,
    /// <summary>A mailbox now belongs to other mailbox sets or migrations.</summary>
    Moved,
    /// <summary>A mailbox (same source) now goes to another target address.</summary>
    Retargeted,
}
