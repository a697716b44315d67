using System.Runtime.InteropServices;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// Ctrl+C and SIGTERM (CI cancellation, systemd, Kubernetes) stop apply the same way: the first one finishes and
/// records the batch in flight and starts nothing new; a second one cancels at once (still safe: the target check
/// covers an unrecorded tail). The exit code says which signal it was: 130 for Ctrl+C, 143 for SIGTERM.
/// </summary>
internal sealed class GracefulStop : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _hardStop;
    private readonly PosixSignalRegistration? _sigterm;
    private int _terminated;

    private readonly OperatorLog _log;

    public GracefulStop(CliConsole console, CancellationToken cancellationToken, OperatorLog? log = null)
    {
        _log = log ?? new OperatorLog(console.Error, json: false);
        _hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += OnCancelKeyPress;
        try
        {
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSigterm);
        }
        catch (PlatformNotSupportedException)
        {
            // No SIGTERM here: Ctrl+C is still handled.
        }
    }

    /// <summary>Set by the first signal: finish the batch in flight, then stop.</summary>
    public CancellationToken StopRequested => _stop.Token;

    /// <summary>Set by the second signal: stop at once.</summary>
    public CancellationToken HardStop => _hardStop.Token;

    public int InterruptedExitCode => Volatile.Read(ref _terminated) == 1 ? ExitCodes.Terminated : ExitCodes.Interrupted;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm?.Dispose();
        _stop.Dispose();
        _hardStop.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Signal("Ctrl+C");
    }

    private void OnSigterm(PosixSignalContext context)
    {
        context.Cancel = true;
        Interlocked.Exchange(ref _terminated, 1);
        Signal("SIGTERM");
    }

    private void Signal(string what)
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _log.Write("stopping", $"Stopping ({what}): finishing the messages in flight (signal again to abort at once)...", ("Signal", what));
        }
        else
        {
            _hardStop.Cancel();
        }
    }
}
