using MigrationEngine.Core.Compilation;

namespace MigrationEngine.Core.State;

/// <summary>
/// The one place that decides whether a step is done or pending, and what a mailbox's steps add up to; plan, apply,
/// status and the reports all ask here, so they cannot disagree.
/// </summary>
public static class StepDecisions
{
    /// <summary>The error recorded for a step that a graceful stop (Ctrl+C, SIGTERM) ended.</summary>
    public const string InterruptedError = "interrupted";

    public static StepProgress Of(Step step, StepRecord? record) => record switch
    {
        null => StepProgress.NotRun,
        _ when record.InputHash != step.InputHash => StepProgress.InputsChanged,
        { Status: StepStatus.Succeeded } => StepProgress.Done,
        { Status: StepStatus.Failed, Error: InterruptedError } => StepProgress.Interrupted,
        { Status: StepStatus.Failed } => StepProgress.Failed,
        _ => StepProgress.Unfinished,
    };

    public static bool IsDone(Step step, StepRecord? record) => Of(step, record) == StepProgress.Done;

    public static bool IsDone(Step step, IReadOnlyDictionary<string, StepRecord> records) =>
        IsDone(step, records.GetValueOrDefault(step.Id));

    /// <summary>
    /// A mailbox's status from its graph steps: failed when a step failed, interrupted when a graceful stop ended one,
    /// done when every step is done, in progress once anything was recorded (steps or ledger), pending otherwise.
    /// </summary>
    public static MailboxStatus MailboxStatusOf(IReadOnlyList<Step> mailboxSteps, IReadOnlyDictionary<string, StepRecord> records, bool hasLedger)
    {
        var done = 0;
        var started = hasLedger;
        StepRecord? failure = null;
        var interrupted = false;
        foreach (var step in mailboxSteps)
        {
            if (!records.TryGetValue(step.Id, out var record))
            {
                continue;
            }

            started = true;
            switch (Of(step, record))
            {
                case StepProgress.Done:
                    done++;
                    break;
                case StepProgress.Failed:
                    failure ??= record;
                    break;
                case StepProgress.Interrupted:
                    interrupted = true;
                    break;
            }
        }

        var state = failure is not null ? MailboxState.Failed
            : mailboxSteps.Count > 0 && done == mailboxSteps.Count ? MailboxState.Done
            : interrupted ? MailboxState.Interrupted
            : started ? MailboxState.InProgress
            : MailboxState.Pending;
        return new MailboxStatus(state, done, mailboxSteps.Count, failure);
    }

    /// <summary>The graph's per-mailbox steps, keyed by migration and mailbox, in graph order (one pass over the graph).</summary>
    public static Dictionary<(string Migration, string Mailbox), List<Step>> GroupByMailbox(IEnumerable<Step> steps)
    {
        var grouped = new Dictionary<(string, string), List<Step>>();
        foreach (var step in steps)
        {
            if (step.Mailbox is null)
            {
                continue;
            }

            if (!grouped.TryGetValue((step.Migration, step.Mailbox), out var list))
            {
                grouped[(step.Migration, step.Mailbox)] = list = [];
            }

            list.Add(step);
        }

        return grouped;
    }

    public static string Text(MailboxState state) => state switch
    {
        MailboxState.Done => "done",
        MailboxState.Failed => "failed",
        MailboxState.Interrupted => "interrupted",
        MailboxState.InProgress => "in progress",
        _ => "pending",
    };
}
