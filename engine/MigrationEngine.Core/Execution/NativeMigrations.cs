using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Runs the steps of an Exchange-native migration (cutover, staged, hybrid, imap with engine: exchange, pst with
/// engine: importService): the work happens in a service; the engine drives it idempotently and records steps.
/// </summary>
public interface INativeMigrationExecutor
{
    /// <summary>
    /// Runs the migration's steps (in graph order, each depending on the previous). A step whose record is done
    /// (same input hash, succeeded) is skipped unless the executor must re-check it (e.g. retry failed users).
    /// Returns diagnostics for failures; never throws for a user or service error.
    /// </summary>
    Task<IReadOnlyList<Diagnostic>> RunAsync(NativeMigrationContext context, CancellationToken cancellationToken);
}
