
namespace MigrationEngine.Core.State;

/// <summary>One mailbox of the plan: its status from its steps and its messages from the state.</summary>
public sealed record MailboxAccount(string Migration, string Mailbox, MailboxStatus Status, MessageAccount Messages)
{
    /// <summary>Contacts and calendars, from the last pass of the mailbox's item steps (empty when the migration moves mail only).</summary>
    public ItemAccount Items { get; init; } = ItemAccount.None;
}
