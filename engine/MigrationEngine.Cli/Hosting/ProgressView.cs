using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// The operator's view: progress bars on an interactive terminal, plain periodic lines (or JSON events with
/// <c>--log-format json</c>) in CI or when redirected. Both count every mailbox of the run, pending ones included.
/// </summary>
internal abstract class ProgressView : IExecutionObserver
{
    protected ProgressView(int totalMailboxes)
    {
        Run = new RunProgress(totalMailboxes);
    }

    protected RunProgress Run { get; }

    public static ProgressView Create(CliConsole console, OperatorLog log, bool quiet, int totalMailboxes)
    {
        var interactive = !quiet && !log.Json
            && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            && !Console.IsOutputRedirected && !Console.IsErrorRedirected
            && ReferenceEquals(console.Out, Console.Out);
        return interactive ? new BarsProgressView(totalMailboxes) : new LinesProgressView(log, quiet, totalMailboxes);
    }

    public abstract void MailboxStarted(string migration, string mailbox, long? expectedMessages);

    public abstract void MessagesProcessed(string migration, string mailbox, int messages, long bytes);

    public abstract void MailboxFinished(MailboxResult result);

    public abstract void Complete();
}

/// <summary>
/// What the views show, counted once: mailboxes by state (of all the run's mailboxes), messages and bytes, and from them the
/// rates (messages per second and bytes per second, each in its own unit) and the time left.
/// </summary>
internal sealed class RunProgress(int totalMailboxes)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, (long Done, long Expected)> _running = new(StringComparer.Ordinal);
    private long _messages;
    private long _bytes;
    private int _finished;
    private int _failed;

    public int Total { get; } = totalMailboxes;

    public int Finished => Volatile.Read(ref _finished);

    public int Failed => Volatile.Read(ref _failed);

    public int Running => _running.Count;

    public int Pending => Math.Max(0, Total - Finished - Running);

    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Messages per second and bytes per second over the run so far, each in its own unit, at one instant.</summary>
    public (double Messages, double Bytes) PerSecond
    {
        get
        {
            var seconds = Math.Max(Elapsed.TotalSeconds, 0.001);
            return (Messages / seconds, Bytes / seconds);
        }
    }

    public static string Key(string migration, string mailbox) => migration + "/" + mailbox;

    public void Started(string migration, string mailbox, long? expected) => _running[Key(migration, mailbox)] = (0, expected ?? 0);

    public void Processed(string migration, string mailbox, int messages, long bytes)
    {
        Interlocked.Add(ref _messages, messages);
        Interlocked.Add(ref _bytes, bytes);
        _running.AddOrUpdate(Key(migration, mailbox), _ => (messages, 0), (_, current) => (current.Done + messages, current.Expected));
    }

    public void MailboxFinished(MailboxResult result)
    {
        _running.TryRemove(Key(result.Migration, result.Mailbox), out _);
        Interlocked.Increment(ref _finished);
        if (result.Outcome == MailboxOutcome.Failed)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    /// <summary>Mailboxes done, plus the share of each running mailbox that its copy has reached (when its size is known).</summary>
    public double CompletedMailboxes =>
        Finished + _running.Values.Sum(r => r.Expected > 0 ? Math.Min(1.0, (double)r.Done / r.Expected) : 0);

    /// <summary>Time left at the pace so far, by the share of mailboxes done; null until some progress was made.</summary>
    public TimeSpan? Remaining
    {
        get
        {
            var done = CompletedMailboxes;
            if (Total == 0 || done <= 0 || Elapsed < TimeSpan.FromSeconds(1))
            {
                return null;
            }

            return TimeSpan.FromSeconds(Elapsed.TotalSeconds * Math.Max(0, Total - done) / done);
        }
    }

    public string MailboxLine => string.Create(CultureInfo.InvariantCulture,
        $"{Finished} of {Total} mailboxes done{(Failed > 0 ? $" ({Failed} failed)" : string.Empty)}, {Running} running, {Pending} pending");

    public string RateLine
    {
        get
        {
            var rate = PerSecond;
            return string.Create(CultureInfo.InvariantCulture, $"{Messages:N0} messages, {Executor.FormatSize(Bytes)}, {rate.Messages:0} msg/s, {FormatRate(rate.Bytes)}");
        }
    }

    public static string FormatRate(double bytesPerSecond) => Executor.FormatSize((long)bytesPerSecond) + "/s";

    public static string FormatRemaining(TimeSpan? remaining) => remaining switch
    {
        null => "unknown",
        { TotalHours: >= 1 } r => string.Create(CultureInfo.InvariantCulture, $"{(int)r.TotalHours}h {r.Minutes:00}m"),
        { TotalMinutes: >= 1 } r => string.Create(CultureInfo.InvariantCulture, $"{r.Minutes}m {r.Seconds:00}s"),
        var r => string.Create(CultureInfo.InvariantCulture, $"{r.Value.Seconds}s"),
    };
}

/// <summary>Plain lines every few seconds (CI, redirected output), or the same as JSON events.</summary>
internal sealed class LinesProgressView(OperatorLog log, bool quiet, int totalMailboxes) : ProgressView(totalMailboxes)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly object _gate = new();
    private TimeSpan _lastLine;

    public override void MailboxStarted(string migration, string mailbox, long? expectedMessages)
    {
        Run.Started(migration, mailbox, expectedMessages);
        if (!quiet)
        {
            log.WriteTimed("mailbox-started", $"{mailbox}: started" + (expectedMessages is { } n ? $" ({n} messages in source)" : string.Empty),
                ("Migration", migration), ("Mailbox", mailbox), ("ExpectedMessages", expectedMessages));
        }
    }

    public override void MessagesProcessed(string migration, string mailbox, int messages, long bytes)
    {
        Run.Processed(migration, mailbox, messages, bytes);
        lock (_gate)
        {
            if (quiet || Run.Elapsed - _lastLine < Interval)
            {
                return;
            }

            _lastLine = Run.Elapsed;
        }

        WriteProgress();
    }

    public override void MailboxFinished(MailboxResult result)
    {
        Run.MailboxFinished(result);
        if (!quiet && result.Outcome is not MailboxOutcome.Unchanged and not MailboxOutcome.DoneByOtherWorker)
        {
            log.WriteTimed("mailbox-finished",
                string.Create(CultureInfo.InvariantCulture, $"{result.Mailbox}: {result.Outcome.ToString().ToLowerInvariant()}, {result.Counters.Copied} copied, {result.Counters.AlreadyPresent} already present in {result.Duration.TotalSeconds:0.0} s ({Run.MailboxLine})"),
                ("Migration", result.Migration), ("Mailbox", result.Mailbox), ("Outcome", result.Outcome.ToString().ToLowerInvariant()), ("Copied", result.Counters.Copied),
                ("AlreadyPresent", result.Counters.AlreadyPresent), ("Seconds", result.Duration.TotalSeconds), ("MailboxesDone", Run.Finished), ("MailboxesTotal", Run.Total));
        }
    }

    public override void Complete()
    {
    }

    private void WriteProgress() =>
        log.WriteTimed("progress", $"progress: {Run.MailboxLine}; {Run.RateLine}; about {RunProgress.FormatRemaining(Run.Remaining)} left",
            ("MailboxesDone", Run.Finished), ("MailboxesFailed", Run.Failed), ("MailboxesRunning", Run.Running), ("MailboxesPending", Run.Pending), ("MailboxesTotal", Run.Total),
            ("Messages", Run.Messages), ("Bytes", Run.Bytes), ("MessagesPerSecond", Run.PerSecond.Messages), ("BytesPerSecond", Run.PerSecond.Bytes),
            ("RemainingSeconds", Run.Remaining?.TotalSeconds));
}
