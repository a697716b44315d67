
namespace MigrationEngine.Core.State;

/// <summary>The one rule for when a lease may be taken over or broken, used by both stores, apply, status and unlock.</summary>
public static class LeaseRules
{
    public static LeaseHolderState StateOf(MailboxLease lease, DateTimeOffset now)
    {
        if (lease.Damaged is not null)
        {
            return LeaseHolderState.Damaged;
        }

        if (string.Equals(lease.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            && !ProcessIdentity.IsAlive(lease.ProcessId, lease.ProcessStart))
        {
            return LeaseHolderState.Dead;
        }

        return lease.ExpiresAt <= now ? LeaseHolderState.Expired : LeaseHolderState.Live;
    }

    public static string Describe(LeaseHolderState state) => state switch
    {
        LeaseHolderState.Live => "live",
        LeaseHolderState.Expired => "expired",
        LeaseHolderState.Dead => "holder gone",
        _ => "damaged",
    };
}
