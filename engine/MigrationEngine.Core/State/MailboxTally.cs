using System.Globalization;

namespace MigrationEngine.Core.State;

/// <summary>Mailboxes by status: every mailbox of the plan, pending ones included.</summary>
public sealed record MailboxTally(long Mailboxes, long Done, long Failed, long InProgress, long Pending)
{
    /// <summary>Interrupted mailboxes count as in progress: apply resumes them.</summary>
    public static MailboxTally Of(IEnumerable<MailboxState> states)
    {
        long mailboxes = 0, done = 0, failed = 0, inProgress = 0, pending = 0;
        foreach (var state in states)
        {
            mailboxes++;
            switch (state)
            {
                case MailboxState.Done: done++; break;
                case MailboxState.Failed: failed++; break;
                case MailboxState.InProgress or MailboxState.Interrupted: inProgress++; break;
                default: pending++; break;
            }
        }

        return new(mailboxes, done, failed, inProgress, pending);
    }

    /// <summary>"3 mailboxes: 3 done, 0 failed, 0 in progress, 0 pending".</summary>
    public string Sentence => string.Create(CultureInfo.InvariantCulture, $"{Mailboxes:N0} mailboxes: {Done:N0} done, {Failed:N0} failed, {InProgress:N0} in progress, {Pending:N0} pending");
}
