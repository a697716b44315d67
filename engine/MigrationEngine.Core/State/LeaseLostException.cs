
namespace MigrationEngine.Core.State;

/// <summary>A ledger write carried a fencing token that no longer holds the mailbox: its lease was broken or taken over.</summary>
public sealed class LeaseLostException(string migration, string mailbox, string reason)
    : Exception($"the lease of mailbox {mailbox} (migration {migration}) was lost: {reason}")
{
    public string Migration { get; } = migration;
    public string Mailbox { get; } = mailbox;
    public string Reason { get; } = reason;
}
