
namespace MigrationEngine.Core.Execution;

/// <summary>Progress events for the operator's view (progress bars or plain lines); called from many tasks.</summary>
public interface IExecutionObserver
{
    void MailboxStarted(string migration, string mailbox, long? expectedMessages);

    void MessagesProcessed(string migration, string mailbox, int messages, long bytes);

    void MailboxFinished(MailboxResult result);
}
