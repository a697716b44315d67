namespace MigrationEngine.Core.Execution;

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
