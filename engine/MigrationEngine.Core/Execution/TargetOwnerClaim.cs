namespace MigrationEngine.Core.Execution;

/// <summary>What a run does with a target's owner marker (see <see cref="TargetOwner"/>).</summary>
public enum TargetOwnerAction
{
    /// <summary>No marker, or this state's marker written by another run: write this run's marker.</summary>
    Write,
    /// <summary>This run's own marker is there already.</summary>
    Keep,
    /// <summary>Another state's marker, and the plan allows shared targets: leave it.</summary>
    Share,
    /// <summary>A fresh state of the same plan replaces a marker whose run is over (recovery from a lost state).</summary>
    TakeOver,
    /// <summary>Another state writes here: refused (MIG0240).</summary>
    Refuse,
}

/// <summary>
/// The one rule every target's owner marker follows, whatever the store (Maildir file, Graph extended property):
/// the same plan and state may always write; another state only when <c>spec.options.allowSharedTargets</c> is set; a
/// fresh state of the same plan takes over once the marker's run is over.
/// </summary>
public static class TargetOwnerClaim
{
    public static TargetOwnerAction Decide(TargetOwner owner, TargetOwner? existing, bool allowSharedTargets)
    {
        if (existing is null)
        {
            return TargetOwnerAction.Write;
        }

        if (existing.SameOwner(owner))
        {
            return existing.Writer == owner.Writer ? TargetOwnerAction.Keep : TargetOwnerAction.Write;
        }

        if (allowSharedTargets)
        {
            return TargetOwnerAction.Share;
        }

        return owner.FreshState && existing.Plan == owner.Plan && !existing.WriterMayBeActive()
            ? TargetOwnerAction.TakeOver
            : TargetOwnerAction.Refuse;
    }
}
