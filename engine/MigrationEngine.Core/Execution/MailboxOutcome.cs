
namespace MigrationEngine.Core.Execution;

public enum MailboxOutcome
{
    Succeeded,
    /// <summary>Every step was already done with the same inputs, and the delta pass found nothing new to copy.</summary>
    Unchanged,
    Failed,
    /// <summary>Not started: a migration it depends on failed, or the run was interrupted first.</summary>
    NotStarted,

    /// <summary>A graceful stop (Ctrl+C, SIGTERM) ended it after the batch in flight was recorded; apply resumes it.</summary>
    Interrupted,

    /// <summary>Another worker of the same round finished it (see the lease history); this worker did not run it again.</summary>
    DoneByOtherWorker,
}
