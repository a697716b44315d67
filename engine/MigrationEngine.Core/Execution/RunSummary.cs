using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Execution;

/// <summary>What one apply did, for the closing summary, reports and the exit code.</summary>
public sealed class RunSummary
{
    public required long RunId { get; init; }
    public required string PlanName { get; init; }
    public List<MailboxResult> Mailboxes { get; } = [];
    public List<Diagnostic> Diagnostics { get; } = [];
    public bool Interrupted { get; set; }
    public TimeSpan Duration { get; set; }

    public long Copied => Mailboxes.Sum(m => m.Counters.Copied);
    public long BytesCopied => Mailboxes.Sum(m => m.Counters.BytesCopied);
    public long AlreadyPresent => Mailboxes.Sum(m => m.Counters.AlreadyPresent);
    public long Filtered => Mailboxes.Sum(m => m.Counters.Filtered);
    public long PlacedElsewhere => Mailboxes.Sum(m => m.Counters.PlacedElsewhere);
    public long BadItems => Mailboxes.Sum(m => m.Counters.BadItems);
    public long Warnings => Mailboxes.Sum(m => m.Counters.Warnings);
    public long Vanished => Mailboxes.Sum(m => m.Counters.Vanished);
    /// <summary>Contacts and calendars of every mailbox, per kind.</summary>
    public PimCounters Items => PimCounters.Sum(Mailboxes.Select(m => m.Items));
    public int FailedMailboxes => Mailboxes.Count(m => m.Outcome == MailboxOutcome.Failed);

    /// <summary>Requests sent to targets that count them (Graph) during this run; null when none did.</summary>
    public long? TargetRequests { get; set; }

    /// <summary>Target requests per copied message, when both are known.</summary>
    public double? RequestsPerMessage => TargetRequests is { } requests && Copied > 0 ? Math.Round((double)requests / Copied, 3) : null;
    /// <summary>This apply as a worker of a shared state: its id, round, and whether it is the one that renders the reports.</summary>
    public WorkerOutcome? Worker { get; set; }

    public bool Succeeded => !Interrupted && FailedMailboxes == 0 && !Diagnostics.Exists(d => d.IsError);
}
