using System.Globalization;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// The closing summary of apply on stdout: per mailbox what this run did, then what the run did (its counters) and
/// "In total" (the state's account of the plan, the line status and the reports print word for word), the messages left
/// out by each rule, and the problems grouped by cause on stderr.
/// </summary>
internal static class SummaryPrinter
{
    /// <summary>Copied before, deleted at the source since: kept in the target (never deleted there), said only when there are some.</summary>
    private static string Vanished(long count, string before) =>
        count == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{before}{count} no longer in the source (copied before, kept in the target)");

    public static void Print(CliConsole console, OperatorLog log, PlanModel plan, RunSummary summary, PlanAccount account, IReadOnlyList<ItemEvent> events)
    {
        var output = console.Out;
        var recorded = account.Mailboxes.ToDictionary(m => (m.Migration, m.Mailbox));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Summary of run {summary.RunId} ({summary.Duration.TotalSeconds:0.0} s):"));
        foreach (var group in summary.Mailboxes.GroupBy(m => m.Migration))
        {
            output.WriteLine($"  Migration {group.Key}");
            var width = group.Max(m => m.Mailbox.Length);
            var movesMail = plan.Migrations.FirstOrDefault(m => m.Name == group.Key)?.MovesMail ?? true;
            foreach (var mailbox in group)
            {
                var counters = mailbox.Counters;
                var line = mailbox.Outcome switch
                {
                    MailboxOutcome.Unchanged => string.Create(CultureInfo.InvariantCulture,
                        $"already complete ({(recorded.TryGetValue((mailbox.Migration, mailbox.Mailbox), out var known) ? known.Messages.Copied + known.Messages.AlreadyPresent : 0):N0} messages recorded){Vanished(counters.Vanished, ", ")}"),
                    MailboxOutcome.NotStarted => "not started",
                    MailboxOutcome.DoneByOtherWorker => "done by another worker of this round",
                    MailboxOutcome.Interrupted => $"interrupted after {counters.Copied} copied; run apply to resume",
                    _ => new MessageAccount(counters.Copied, counters.BytesCopied, counters.AlreadyPresent, counters.Filtered, counters.BadItems, counters.Warnings, counters.PlacedElsewhere).Sentence
                        + (counters.FlagsUpdated > 0 ? string.Create(CultureInfo.InvariantCulture, $", {counters.FlagsUpdated} flag updates") : string.Empty)
                        + Vanished(counters.Vanished, ", "),
                };
                var outcome = mailbox.Outcome switch
                {
                    MailboxOutcome.Succeeded => "ok",
                    MailboxOutcome.Unchanged => "unchanged",
                    MailboxOutcome.Failed => "FAILED",
                    MailboxOutcome.Interrupted => "stopped",
                    MailboxOutcome.DoneByOtherWorker => "elsewhere",
                    _ => "skipped",
                };
                if (mailbox.Items.Any && mailbox.Outcome is not (MailboxOutcome.NotStarted or MailboxOutcome.DoneByOtherWorker or MailboxOutcome.Interrupted))
                {
                    // A migration of contacts and calendars alone says nothing about messages.
                    line = (movesMail ? line + "; " : string.Empty) + ItemAccount.OfRun(mailbox.Items).Sentence;
                }

                output.WriteLine($"    {mailbox.Mailbox.PadRight(width)}  {outcome,-9}  {line}");
            }
        }

        var run = MessageAccount.OfRun(summary);
        var seconds = Math.Max(summary.Duration.TotalSeconds, 0.001);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Copied {summary.Copied} messages ({Executor.FormatSize(summary.BytesCopied)}, {summary.Copied / seconds:0} msg/s, {RunProgress.FormatRate(summary.BytesCopied / seconds)}) in this run: {run.Details}{Vanished(summary.Vanished, "; ")}; {summary.FailedMailboxes} of {summary.Mailboxes.Count} mailboxes failed."));
        var items = summary.Items;
        if (items.Any)
        {
            output.WriteLine($"Contacts and calendars in this run: {ItemAccount.OfRun(items).Sentence}.");
        }

        output.WriteLine(account.TotalLine);
        if (summary.TargetRequests is { } targetRequests)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Target requests: {targetRequests}{(summary.RequestsPerMessage is { } perMessage ? $" ({perMessage:0.000} per copied message)" : string.Empty)}."));
        }

        if (summary.Copied == 0 && items.Written == 0 && summary.FailedMailboxes == 0 && !summary.Interrupted && summary.Mailboxes.Count > 0)
        {
            output.WriteLine("Nothing to copy: everything is already present in the target.");
        }

        // The summary above is on stdout; a JSON log stream gets the same figures as one event.
        if (log.Json)
        {
            log.Write("run-finished", $"Run {summary.RunId} finished: {run.Sentence}. {account.TotalLine}",
                ("RunId", summary.RunId), ("Copied", run.Copied), ("Bytes", run.Bytes), ("AlreadyPresent", run.AlreadyPresent), ("LeftOut", run.LeftOut), ("BadItems", run.BadItems),
                ("Warnings", run.Warnings), ("FailedMailboxes", summary.FailedMailboxes), ("TotalCopied", account.Totals.Copied), ("TotalAlreadyPresent", account.Totals.AlreadyPresent),
                ("TotalLeftOut", account.Totals.LeftOut), ("TotalBadItems", account.Totals.BadItems), ("MailboxesDone", account.Tally.Done), ("MailboxesPending", account.Tally.Pending));
        }

        PrintItemEvents(console, events);
        var diagnostics = summary.Diagnostics.Concat(summary.Mailboxes.SelectMany(m => m.Diagnostics)).ToList();
        if (diagnostics.Count == 0)
        {
            return;
        }

        // Grouped by cause: a thousand mailboxes with the same wrong password make one line with a count.
        if (!log.Json)
        {
            console.Error.WriteLine();
            console.Error.WriteLine("Problems, grouped by cause:");
        }

        foreach (var cause in diagnostics.GroupBy(d => (d.Code, d.Severity)).OrderBy(g => g.Key.Severity).ThenBy(g => g.Key.Code, StringComparer.Ordinal))
        {
            var count = cause.Count();
            log.Diagnostic(cause.First(), count == 1 ? null : $" (and {count - 1} more like it)");
        }
    }

    /// <summary>
    /// This run's messages not copied (bad items), copied with a warning, and left out by a rule (a filter or a folder
    /// rule, named in the reason): counts per reason, with an example mailbox and folder.
    /// </summary>
    private static void PrintItemEvents(CliConsole console, IReadOnlyList<ItemEvent> events)
    {
        foreach (var (kind, title) in new[]
                 {
                     ("bad-item", "Not copied (bad items)"), (PimLedger.BadItemEvent, "Contacts and calendar items not copied (bad items)"), ("warning", "Copied with warnings"),
                     ("filtered", "Left out by rules"),
                 })
        {
            var ofKind = events.Where(e => e.Kind == kind).ToList();
            if (ofKind.Count == 0)
            {
                continue;
            }

            console.Out.WriteLine();
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {ofKind.Count:N0}"));
            foreach (var reason in ofKind.GroupBy(e => e.Reason).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(10))
            {
                var first = reason.First();
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {reason.Count(),6:N0}  {reason.Key} (e.g. {first.Mailbox} / {PimLedger.Display(first.Folder)}{(PimLedger.IsItemFolder(first.Folder) ? " " + first.SourceId : string.Empty)})"));
            }
        }
    }
}
