using System.Text.Json.Serialization;
using MigrationEngine.Core.Diagnostics;

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

/// <summary>Counters of one mailbox in one run. Thread-safe increments: folders of a mailbox copy in parallel.</summary>
public sealed class MailboxCounters
{
    private long _copied;
    private long _bytes;
    private long _present;
    private long _filtered;
    private long _badItems;
    private long _warnings;
    private long _flagsUpdated;
    private long _placedElsewhere;
    private long _vanished;

    public long Copied => Interlocked.Read(ref _copied);
    public long BytesCopied => Interlocked.Read(ref _bytes);
    public long AlreadyPresent => Interlocked.Read(ref _present);
    public long Filtered => Interlocked.Read(ref _filtered);
    public long BadItems => Interlocked.Read(ref _badItems);
    public long Warnings => Interlocked.Read(ref _warnings);
    public long FlagsUpdated => Interlocked.Read(ref _flagsUpdated);
    /// <summary>Label folder entries not copied there because the message's one copy is in another folder.</summary>
    public long PlacedElsewhere => Interlocked.Read(ref _placedElsewhere);
    /// <summary>Messages the ledger recorded as copied that the source no longer holds (deleted there since): kept in the target, reported.</summary>
    public long Vanished => Interlocked.Read(ref _vanished);

    public void AddCopied(long bytes)
    {
        Interlocked.Increment(ref _copied);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void AddPresent(long count = 1) => Interlocked.Add(ref _present, count);

    public void AddFiltered() => Interlocked.Increment(ref _filtered);

    public void AddPlacedElsewhere() => Interlocked.Increment(ref _placedElsewhere);

    public long AddBadItem() => Interlocked.Increment(ref _badItems);

    public void AddWarning() => Interlocked.Increment(ref _warnings);

    public void AddFlagsUpdated(long count) => Interlocked.Add(ref _flagsUpdated, count);

    public void AddVanished(long count) => Interlocked.Add(ref _vanished, count);
}

/// <summary>
/// One target folder's verification. <see cref="Duplicates"/>: target messages beyond the source's count of a message
/// (its dedup key), each a copy of a source message too many; <see cref="DuplicateKeys"/> names a few. <see cref="Foreign"/>:
/// target messages matching no source message (new mail after the MX switch, others' copies): counted, never touched.
/// </summary>
public sealed record FolderVerification(
    string TargetFolder,
    int Expected,
    int Found,
    int Missing,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Duplicates = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Foreign = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? DuplicateKeys = null);

public sealed class MailboxResult
{
    public required string Migration { get; init; }
    public required string Mailbox { get; init; }
    public required string SourceAddress { get; init; }
    public MailboxOutcome Outcome { get; set; }
    public MailboxCounters Counters { get; } = new();
    /// <summary>Contacts and calendars (the plan's <c>items:</c>), per kind.</summary>
    public PimCounters Items { get; } = new();
    public List<Diagnostic> Diagnostics { get; } = [];
    public List<FolderVerification> Verification { get; } = [];
    public int Folders { get; set; }
    public TimeSpan Duration { get; set; }
}

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

/// <summary>What the shared state said about this apply as a worker: it renders the reports when it was the round's last.</summary>
public sealed record WorkerOutcome(long WorkerId, long RoundId, bool RendersReports);

/// <summary>Progress events for the operator's view (progress bars or plain lines); called from many tasks.</summary>
public interface IExecutionObserver
{
    void MailboxStarted(string migration, string mailbox, long? expectedMessages);

    void MessagesProcessed(string migration, string mailbox, int messages, long bytes);

    void MailboxFinished(MailboxResult result);
}

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
