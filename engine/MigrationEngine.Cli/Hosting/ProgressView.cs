using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MigrationEngine.Core.Execution;
using Spectre.Console;

namespace MigrationEngine.Cli.Hosting;

/// <summary>The operator's view: progress bars on an interactive terminal, plain periodic lines in CI or when redirected.</summary>
internal abstract class ProgressView : IExecutionObserver
{
    public static ProgressView Create(CliConsole console, bool quiet)
    {
        var interactive = !quiet
            && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            && !Console.IsOutputRedirected && !Console.IsErrorRedirected
            && ReferenceEquals(console.Out, Console.Out);
        return interactive ? new BarsProgressView() : new LinesProgressView(console, quiet);
    }

    public abstract void MailboxStarted(string migration, string mailbox, long? expectedMessages);

    public abstract void MessagesProcessed(string migration, string mailbox, int messages, long bytes);

    public abstract void MailboxFinished(MailboxResult result);

    public abstract void Complete();
}

internal sealed class LinesProgressView(CliConsole console, bool quiet) : ProgressView
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private long _messages;
    private long _bytes;
    private TimeSpan _lastLine;

    public override void MailboxStarted(string migration, string mailbox, long? expectedMessages)
    {
        if (!quiet)
        {
            Write($"{mailbox}: started" + (expectedMessages is { } n ? $" ({n} messages in source)" : string.Empty));
        }
    }

    public override void MessagesProcessed(string migration, string mailbox, int messages, long bytes)
    {
        Interlocked.Add(ref _messages, messages);
        Interlocked.Add(ref _bytes, bytes);
        lock (_gate)
        {
            if (quiet || _clock.Elapsed - _lastLine < Interval)
            {
                return;
            }

            _lastLine = _clock.Elapsed;
        }

        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        Write(string.Create(CultureInfo.InvariantCulture, $"progress: {Interlocked.Read(ref _messages)} messages, {Executor.FormatSize(Interlocked.Read(ref _bytes))}, {Interlocked.Read(ref _messages) / seconds:0} msg/s"));
    }

    public override void MailboxFinished(MailboxResult result)
    {
        if (!quiet && result.Outcome != MailboxOutcome.Unchanged)
        {
            Write(string.Create(CultureInfo.InvariantCulture, $"{result.Mailbox}: {result.Outcome.ToString().ToLowerInvariant()}, {result.Counters.Copied} copied, {result.Counters.AlreadyPresent} already present in {result.Duration.TotalSeconds:0.0} s"));
        }
    }

    public override void Complete()
    {
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
        }
    }
}

internal sealed class BarsProgressView : ProgressView
{
    private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ProgressContext> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _runner;
    private ProgressTask? _overall;

    public BarsProgressView()
    {
        _runner = AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _overall = context.AddTask("[bold]all mailboxes[/]", maxValue: 1);
                _ready.SetResult(context);
                await _done.Task;
            });
    }

    public override void MailboxStarted(string migration, string mailbox, long? expectedMessages)
    {
        var context = _ready.Task.GetAwaiter().GetResult();
        var task = context.AddTask(Markup.Escape(mailbox), maxValue: Math.Max(1, expectedMessages ?? 1));
        _tasks[migration + "/" + mailbox] = task;
        if (_overall is not null)
        {
            _overall.MaxValue += Math.Max(1, expectedMessages ?? 1);
        }
    }

    public override void MessagesProcessed(string migration, string mailbox, int messages, long bytes)
    {
        if (_tasks.TryGetValue(migration + "/" + mailbox, out var task))
        {
            task.Increment(messages);
        }

        _overall?.Increment(messages);
    }

    public override void MailboxFinished(MailboxResult result)
    {
        if (_tasks.TryGetValue(result.Migration + "/" + result.Mailbox, out var task))
        {
            // An interrupted or failed mailbox keeps the bar where its copy stopped.
            if (result.Outcome is MailboxOutcome.Succeeded or MailboxOutcome.Unchanged)
            {
                task.Value = task.MaxValue;
            }

            task.StopTask();
        }
    }

    public override void Complete()
    {
        if (_overall is not null)
        {
            _overall.Value = _overall.MaxValue;
        }

        _done.TrySetResult();
        _runner.GetAwaiter().GetResult();
    }
}
