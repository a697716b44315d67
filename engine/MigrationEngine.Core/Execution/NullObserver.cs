
namespace MigrationEngine.Core.Execution;

public sealed class NullObserver : IExecutionObserver
{
    public static readonly NullObserver Instance = new();

    public void MailboxStarted(string migration, string mailbox, long? expectedMessages)
    {
    }

    public void MessagesProcessed(string migration, string mailbox, int messages, long bytes)
    {
    }

    public void MailboxFinished(MailboxResult result)
    {
    }
}
