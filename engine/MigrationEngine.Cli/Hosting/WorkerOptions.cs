using System.CommandLine;
using System.Globalization;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// apply's worker settings: <c>--workers-expected N</c> (or $MIGRATE_WORKERS_EXPECTED, for a Kubernetes Job or a CI matrix
/// that sets it once for every worker) and the lease duration ($MIGRATE_LEASE_SECONDS, how soon a dead worker's mailboxes
/// and connection slots are free again).
/// </summary>
internal static class WorkerOptions
{
    public const string WorkersVariable = "MIGRATE_WORKERS_EXPECTED";
    public const string LeaseVariable = "MIGRATE_LEASE_SECONDS";

    public static Option<string?> WorkersExpected() => new("--workers-expected")
    {
        Description = $"How many workers apply this plan together (shared PostgreSQL state): the last to finish renders the reports once (or ${WorkersVariable})",
    };

    /// <summary>The number of workers expected, null when not given; a diagnostic when it is not a number or the state is not shared.</summary>
    public static (int? Expected, Diagnostic? Error) Resolve(string? option, IStateStore store, SourceLocation location)
    {
        var (text, name) = option is not null ? (option, "--workers-expected") : (Environment.GetEnvironmentVariable(WorkersVariable), "$" + WorkersVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var expected) || expected is < 1 or > 10000)
        {
            return (null, Diagnose.WorkersExpectedInvalid(location, name, text,
                hint: "give the number of workers you start, e.g. --workers-expected 4"));
        }

        return store is IWorkerStore
            ? (expected, null)
            : (null, Diagnose.WorkersNeedSharedState(location, name, store.Location,
                hint: "keep the state in PostgreSQL: --state postgres://user@host/db (or $MIGRATE_STATE)"));
    }

    /// <summary>$MIGRATE_LEASE_SECONDS (5 to 3600), else 60 s: a shorter lease frees a dead worker's mailboxes sooner and costs more heartbeats.</summary>
    public static TimeSpan LeaseDuration() =>
        int.TryParse(Environment.GetEnvironmentVariable(LeaseVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 5 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(60);
}
