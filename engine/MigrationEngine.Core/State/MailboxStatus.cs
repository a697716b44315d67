
namespace MigrationEngine.Core.State;

/// <summary>The status of one mailbox: its state, how many of its steps are done, and the first failure if any.</summary>
public sealed record MailboxStatus(MailboxState State, int StepsDone, int Steps, StepRecord? Failure)
{
    public string Text => StepDecisions.Text(State);
}
