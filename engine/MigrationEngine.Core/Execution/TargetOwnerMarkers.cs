using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// What every target's marker does with the rule of <see cref="TargetOwnerClaim"/> (a Maildir's file, an IMAP server's
/// METADATA entry): the targets differ only in where the marker is kept.
/// </summary>
public static class TargetOwnerMarkers
{
    /// <summary>
    /// Applies the rule to the marker found (null: none) on the context's target mailbox: true when this run's marker is
    /// to be written; a take-over is logged; a refusal is thrown as MIG0240, whose hint says how to remove <paramref name="marker"/>.
    /// </summary>
    public static bool MustWrite(MailboxContext context, TargetOwner owner, TargetOwner? existing, string marker)
    {
        switch (TargetOwnerClaim.Decide(owner, existing, context.Plan.AllowSharedTargets))
        {
            case TargetOwnerAction.Keep or TargetOwnerAction.Share:
                return false;
            case TargetOwnerAction.TakeOver:
                context.Logger.Warning("Target mailbox {Mailbox} was written by {Previous}; this new state takes it over (every message is checked against the target first)",
                    context.Address, existing!.Describe());
                return true;
            case TargetOwnerAction.Refuse:
                throw new MigrationException(Diagnose.TargetOwnedByOther(context.Mailbox.Location,
                    context.Address, existing!.Describe(), owner.Describe(),
                        hint: $"apply with that state (--state), or set spec.options.allowSharedTargets: true if both may write to it, or remove {marker} if that state is gone for good"));
            default:
                return true;
        }
    }
}
