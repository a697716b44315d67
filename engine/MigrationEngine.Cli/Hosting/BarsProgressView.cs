using System.Collections.Concurrent;
using System.Globalization;
using MigrationEngine.Core.Execution;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// Bars on an interactive terminal: one overall bar over every mailbox of the run (pending ones included, with the time
/// left), then bars for at most <see cref="MaxBars"/> running mailboxes; finished bars go away, and a mailbox that starts
/// while all bars are taken is counted in the overall line instead, so forty mailboxes do not fill the screen.
/// </summary>
internal sealed class BarsProgressView : ProgressView
{
    public const int MaxBars = 8;

    private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ProgressContext> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _runner;
    private readonly object _gate = new();
    private ProgressTask? _overall;

    public BarsProgressView(int totalMailboxes)
        : base(totalMailboxes)
    {
        _runner = AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _overall = context.AddTask(OverallText(), maxValue: Math.Max(1, totalMailboxes));
                _ready.SetResult(context);
                await _done.Task;
            });
    }

    public override void MailboxStarted(string migration, string mailbox, long? expectedMessages)
    {
        Run.Started(migration, mailbox, expectedMessages);
        var context = _ready.Task.GetAwaiter().GetResult();
        lock (_gate)
        {
            if (_tasks.Count < MaxBars)
            {
                _tasks[RunProgress.Key(migration, mailbox)] = context.AddTask(Markup.Escape(mailbox), maxValue: Math.Max(1, expectedMessages ?? 1));
            }

            UpdateOverall();
        }
    }

    public override void MessagesProcessed(string migration, string mailbox, int messages, long bytes)
    {
        Run.Processed(migration, mailbox, messages, bytes);
        if (_tasks.TryGetValue(RunProgress.Key(migration, mailbox), out var task))
        {
            task.Increment(messages);
            task.State.Update<double>(RateColumn.BytesKey, b => b + bytes);
            task.State.Update<double>(RateColumn.MessagesKey, m => m + messages);
        }

        lock (_gate)
        {
            UpdateOverall();
        }
    }

    public override void MailboxFinished(MailboxResult result)
    {
        Run.MailboxFinished(result);
        lock (_gate)
        {
            if (_tasks.TryRemove(RunProgress.Key(result.Migration, result.Mailbox), out var task))
            {
                task.StopTask();
                _ready.Task.GetAwaiter().GetResult().RemoveTask(task);
            }

            UpdateOverall();
        }
    }

    public override void Complete()
    {
        lock (_gate)
        {
            UpdateOverall();
        }

        _done.TrySetResult();
        _runner.GetAwaiter().GetResult();
    }

    private void UpdateOverall()
    {
        if (_overall is null)
        {
            return;
        }

        _overall.Value = Math.Min(_overall.MaxValue, Run.CompletedMailboxes);
        _overall.Description = OverallText();
        _overall.State.Update<double>(RateColumn.BytesKey, _ => Run.Bytes);
        _overall.State.Update<double>(RateColumn.MessagesKey, _ => Run.Messages);
    }

    private string OverallText()
    {
        var hidden = Run.Running - _tasks.Count;
        return Markup.Escape(Run.MailboxLine + (hidden > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({hidden} without a bar)") : string.Empty));
    }
}

/// <summary>
/// Messages per second and bytes per second of a task, each labelled with its own unit (Spectre's transfer-speed column
/// reads the task's value as bytes, which here counts messages or mailboxes).
/// </summary>
internal sealed class RateColumn : ProgressColumn
{
    public const string BytesKey = "bytes";
    public const string MessagesKey = "messages";

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        var seconds = Math.Max(task.ElapsedTime?.TotalSeconds ?? 0, 0.001);
        var messages = task.State.Get<double>(MessagesKey);
        var bytes = task.State.Get<double>(BytesKey);
        return new Markup(string.Create(CultureInfo.InvariantCulture, $"{messages / seconds,6:0} msg/s {RunProgress.FormatRate(bytes / seconds),10}"));
    }
}
