namespace MigrationEngine.Cli;

/// <summary>Exit codes, documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>Success; for <c>plan --detailed-exitcode</c>: no changes.</summary>
    public const int Success = 0;

    /// <summary>Errors in the input (diagnostics), a failed mailbox, or a stale saved plan.</summary>
    public const int Error = 1;

    /// <summary>A usage error (unknown option, missing argument); for <c>plan --detailed-exitcode</c>: changes present.</summary>
    public const int UsageOrChanges = 2;

    /// <summary>Stopped with Ctrl+C after finishing and recording the message in flight.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (128 + 15) after finishing and recording the batch in flight.</summary>
    public const int Terminated = 143;
}
