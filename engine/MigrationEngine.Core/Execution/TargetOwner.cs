using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Who writes to a target mailbox: the plan and the state that records what was copied there. Two states writing one
/// target at once each take the other's messages for unknown mail and copy theirs again, so a target records its owner
/// and another state is refused unless the plan opts in (<c>spec.options.allowSharedTargets</c>). A state is known by
/// the start of its first run of the plan, which survives <c>state export</c>/import and moving the file;
/// <see cref="Location"/> is only shown. One exception keeps a lost state recoverable: a fresh state (its first run)
/// of the same plan takes over when the run that wrote the marker is over (same host, process gone or finished),
/// because a fresh state checks every message against the target before copying it.
/// </summary>
public sealed record TargetOwner(string Plan, DateTimeOffset StateStarted, string Location, bool FreshState, string Writer)
{
    private const string Header = "migration-engine target owner v1";
    private static readonly ConcurrentDictionary<string, byte> ActiveRuns = new(StringComparer.Ordinal);
    private static readonly Lazy<long> ThisProcessStart = new(() =>
    {
        using var self = Process.GetCurrentProcess();
        return ProcessStartTicks(self);
    });

    /// <summary>
    /// When this process started, in whole seconds (the form a marker's writer holds). Read once: the start-up warm-up
    /// reads it on its own core, so the run's first owner does not load and parse the process table on the main path.
    /// </summary>
    public static long ThisProcessStartSeconds => ThisProcessStart.Value;

    /// <summary>Same plan and state (where the state lies today does not matter).</summary>
    public bool SameOwner(TargetOwner other) => other.Plan == Plan && other.StateStarted == StateStarted;

    public string Describe() => $"plan '{Plan}' with the state first applied {StateStarted.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z ({Location})";

    public string Serialize() =>
        $"{Header}\nplan: {Plan}\nstate: {StateStarted.UtcTicks.ToString(CultureInfo.InvariantCulture)}\nlocation: {Location}\nwriter: {Writer}\n";

    /// <summary>The owner in a marker's text, or null when the text is not a marker this build wrote.</summary>
    public static TargetOwner? Parse(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length < 4 || lines[0] != Header)
        {
            return null;
        }

        string? Value(string key) => lines.FirstOrDefault(l => l.StartsWith(key + ": ", StringComparison.Ordinal))?[(key.Length + 2)..];
        return Value("plan") is { } plan
            && long.TryParse(Value("state"), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new TargetOwner(plan, new DateTimeOffset(ticks, TimeSpan.Zero), Value("location") ?? "", false, Value("writer") ?? "")
            : null;
    }

    /// <summary>Whether the run that wrote this owner may still be writing (a run on another host always may).</summary>
    public bool WriterMayBeActive()
    {
        var parts = Writer.Split('/');
        if (parts.Length != 4 || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
        {
            return true;
        }

        if (pid == Environment.ProcessId && started == ThisProcessStartSeconds)
        {
            return ActiveRuns.ContainsKey(parts[3]);
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return ProcessStartTicks(process) == started;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The owner this run writes as: the plan, its state (known by the first run it recorded) and this run.</summary>
    public static async Task<TargetOwner> OfStateAsync(IStateStore state, string planName, string location, CancellationToken cancellationToken)
    {
        var runs = await state.GetRunsAsync(planName, cancellationToken);
        var first = runs.Count == 0 ? null : runs.MinBy(r => r.RunId);
        var nonce = Guid.NewGuid().ToString("N");
        ActiveRuns[nonce] = 0;
        var writer = string.Join('/', Environment.MachineName, Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            ThisProcessStartSeconds.ToString(CultureInfo.InvariantCulture), nonce);
        return new TargetOwner(planName, first?.StartedAt.ToUniversalTime() ?? DateTimeOffset.UnixEpoch, location, runs.Count <= 1, writer);
    }

    /// <summary>The run is over: a fresh state may take its targets over from now on.</summary>
    public void EndRun() => ActiveRuns.TryRemove(Writer.Split('/')[^1], out _);

    private static long ProcessStartTicks(Process process)
    {
        try
        {
            return process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return 0;
        }
    }
}
