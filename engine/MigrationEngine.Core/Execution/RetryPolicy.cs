using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;
using Serilog;

namespace MigrationEngine.Core.Execution;

/// <summary>Which failures are worth another attempt, how long to wait, and how a failure becomes a diagnostic.</summary>
internal static class RetryPolicy
{
    /// <summary>
    /// Two retry loops. The outer one waits as long as the server asked (throttling: IMAP "Suggested Backoff Time", Graph
    /// 429/503 Retry-After) and does not use up the attempts, since a long migration is throttled again and again by
    /// design; the inner one gives other transient failures (dropped connections, timeouts) a few attempts with backoff.
    /// </summary>
    public static RetryPipeline Create(ExecutionOptions options, ILogger log) => new(options, log);

    /// <summary>
    /// Whether another attempt may succeed. The adapters classify their own transport failures (sockets, timeouts, HTTP) into a
    /// <see cref="MigrationException"/> with <see cref="MigrationException.Transient"/> set, so Core knows no network type. One
    /// fallback stays here: a bare <see cref="IOException"/>. A message's content is a stream one adapter hands out and another
    /// side reads (Core's pipeline, or the target adapter appending it), so a failure reading it surfaces outside the adapter
    /// that could name it; and file sources and targets read local files, whose read errors (a network file system that went
    /// away for a moment) are worth another attempt as they always were.
    /// </summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        MigrationException migration => migration.Transient,
        IOException => true,
        _ => false,
    };

    public static Diagnostic ToDiagnostic(Exception ex, MigrationDefinition migration, string mailbox) => ex switch
    {
        MigrationException migrationException => migrationException.Diagnostic,
        SecretUnavailableException secret => Diagnose.SecretUnavailable(migration.Location, mailbox, secret.Message,
            hint: "set the variable or create the file the plan refers to"),
        _ => Diagnose.UnexpectedFailure(migration.Location, ex.GetType().Name, $"mailbox {mailbox}", ex.Message,
            hint: "the log file has the details; please report it"),
    };
}

/// <summary>A graceful stop (Ctrl+C) reached a batch boundary: the mailbox ends here, everything appended is recorded.</summary>
internal sealed class StopRequestedException : Exception;
