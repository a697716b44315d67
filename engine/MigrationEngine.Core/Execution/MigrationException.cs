using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// A failure the user caused or must act on (wrong password, server down, missing folder): carries a diagnostic,
/// is printed without a stack trace, and fails one mailbox, not the run.
/// </summary>
public class MigrationException(Diagnostic diagnostic, Exception? inner = null) : Exception(diagnostic.Message, inner)
{
    public Diagnostic Diagnostic { get; } = diagnostic;

    /// <summary>True when retrying later may succeed (connection dropped, throttled, 5xx).</summary>
    public bool Transient { get; init; }

    /// <summary>When the server said how long to wait (Retry-After, Exchange's suggested back-off).</summary>
    public TimeSpan? RetryAfter { get; init; }
}
