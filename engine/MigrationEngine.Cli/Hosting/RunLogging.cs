using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using System.Globalization;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// Serilog for a run: readable console lines on stderr (or CLEF with --log-format json) and a compact JSON (CLEF)
/// file per run under .migrate/logs/ beside the plan. Events carry plan, migration, mailbox, folder and step.
/// </summary>
internal sealed class RunLogging : IDisposable
{
    private readonly Logger _logger;

    private RunLogging(Logger logger, string file)
    {
        _logger = logger;
        File = file;
    }

    public ILogger Logger => _logger;

    public string File { get; }

    private static int _runsInProcess;

    public static RunLogging Create(PlanModel plan, string verbosity, string logFormat, CliConsole console)
    {
        var folder = Path.Combine(plan.PlanDirectory, ".migrate", "logs");
        PrivateFiles.CreateFolder(folder);
        // A second run in the same process and second (applies of one plan may run side by side) gets its own file.
        var run = Interlocked.Increment(ref _runsInProcess);
        var file = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{plan.Name}-{Environment.ProcessId}{(run > 1 ? $"-{run}" : string.Empty)}.clef");
        // Created 0600 before Serilog opens it (its file sink opens when configured, and appends to an existing file).
        PrivateFiles.Touch(file);
        var consoleLevel = verbosity switch
        {
            "quiet" => LogEventLevel.Error,
            "detailed" => LogEventLevel.Information,
            _ => LogEventLevel.Warning,
        };
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty("Plan", plan.Name)
            .WriteTo.File(new CompactJsonFormatter(), file, restrictedToMinimumLevel: LogEventLevel.Debug);
        configuration = configuration.WriteTo.Sink(new TextWriterSink(console.Error, ConsoleFormatter(logFormat)), consoleLevel);
        return new RunLogging(configuration.CreateLogger(), file);
    }

    /// <summary>
    /// The start-up warm-up of <c>apply</c> (<see cref="StartupWarmup"/>): the same formatters and a mailbox's first event,
    /// written nowhere, so that Serilog's first uses (template parsing, property capture, JSON and text formatting) are
    /// paid on the second core while the main thread reads the plan and the state, not on the way to the first connection.
    /// </summary>
    public static void Warm()
    {
        using var logger = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty("Plan", "warm-up")
            .WriteTo.Sink(new TextWriterSink(TextWriter.Null, new CompactJsonFormatter()))
            .WriteTo.Sink(new TextWriterSink(TextWriter.Null, ConsoleFormatter("text")))
            .CreateLogger();
        logger.ForContext("Migration", "warm-up").ForContext("Mailbox", "warm-up")
            .Information("Mailbox {Mailbox}: {Source} ({SourceAddress}) -> {Target} ({TargetAddress})", "warm-up", "a", "b", "c", "d");
    }

    private static ITextFormatter ConsoleFormatter(string logFormat) => logFormat == "json"
        ? new CompactJsonFormatter()
        : new MessageTemplateTextFormatter("[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}", CultureInfo.InvariantCulture);

    public void Dispose() => _logger.Dispose();
}

/// <summary>Writes log events to the command's error writer (so tests and pipelines capture them with the rest).</summary>
internal sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : Serilog.Core.ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        lock (writer)
        {
            formatter.Format(logEvent, writer);
        }
    }
}
