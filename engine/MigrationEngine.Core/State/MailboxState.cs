
namespace MigrationEngine.Core.State;

/// <summary>What a mailbox's steps add up to, as status, the reports and the summary show it.</summary>
public enum MailboxState
{
    Pending,
    InProgress,
    Done,
    Failed,
    Interrupted,
}
