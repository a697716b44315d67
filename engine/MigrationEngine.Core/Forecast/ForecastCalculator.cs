using System.Globalization;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Inventory;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Forecast;

/// <summary>
/// <c>migrate plan --forecast</c>: how long each mailbox and each migration will take, from the inventory in state, the
/// limits that bind (Gmail's daily download quota, Graph's per-mailbox windows) and the transfer rate (measured by this
/// plan's earlier runs, else <see cref="TransferRate.Default"/>). Migrations start when their dependsOn end (and not before
/// startAfter); their mailboxes run concurrency.mailboxes at a time, longest first.
/// </summary>
public static class ForecastCalculator
{
    /// <summary>Graph allows 150 MB of uploads per 5 minutes per mailbox (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits).</summary>
    public const double GraphUploadBytesPerSecond = 150.0 * 1024 * 1024 / 300;

    /// <summary>Graph allows 10,000 requests per 10 minutes per mailbox and application (same page).</summary>
    public const double GraphRequestsPerSecond = 10_000.0 / 600;

    /// <summary>Requests per message the Graph target measured (a 1,000-message apply holds 1.05; docs/graph.md).</summary>
    public const double GraphRequestsPerMessage = 1.05;

    public static MailboxForecast Mailbox(string migration, string source, string target, long messages, long bytes, bool gmailSource, bool graphTarget, TransferRate rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        if (messages == 0 && bytes == 0)
        {
            return new MailboxForecast(migration, source, target, 0, 0, BindingLimit.Nothing, DurationRange.Zero);
        }

        var transferSeconds = Math.Max(bytes / rate.BytesPerSecond, messages / rate.MessagesPerSecond);
        var limits = new List<(BindingLimit Limit, DurationRange Duration)>
        {
            (BindingLimit.TransferRate, new DurationRange(Seconds(transferSeconds), Seconds(transferSeconds / 2), Seconds(transferSeconds * 2))),
        };
        if (gmailSource && bytes > InventoryLint.GmailDailyDownloadBytes)
        {
            // Whole quota days: each day gives 2,500 MB, so 9 GB needs four of them however fast the engine is.
            limits.Add((BindingLimit.GmailDailyQuota, DurationRange.Fixed(TimeSpan.FromDays(InventoryLint.GmailQuotaDays(bytes)))));
        }

        if (graphTarget)
        {
            limits.Add((BindingLimit.GraphUploadWindow, DurationRange.Fixed(Seconds(bytes / GraphUploadBytesPerSecond))));
            limits.Add((BindingLimit.GraphRequestWindow, DurationRange.Fixed(Seconds(messages * GraphRequestsPerMessage / GraphRequestsPerSecond))));
        }

        var binding = limits.MaxBy(l => l.Duration.Expected);
        var duration = limits.Select(l => l.Duration).Aggregate(DurationRange.Max);
        return new MailboxForecast(migration, source, target, messages, bytes, binding.Limit, duration);
    }

    /// <summary>
    /// The forecast of one inventoried mailbox of the plan; <paramref name="alreadyCopied"/> (messages, bytes) is left out of
    /// what there is to move (a report's forecast for a run that found part of the mailbox copied by earlier runs).
    /// </summary>
    public static MailboxForecast Mailbox(PlanModel plan, MigrationDefinition migration, MailboxEntry entry, MailboxInventory inventory, TransferRate rate,
        (long Messages, long Bytes) alreadyCopied = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(inventory);
        var graphTarget = plan.Targets.GetValueOrDefault(migration.To)?.Type == EndpointType.Graph;
        return Mailbox(migration.Name, entry.SourceAddress, entry.TargetAddress, Math.Max(0, inventory.Messages - alreadyCopied.Messages),
            Math.Max(0, inventory.Bytes - alreadyCopied.Bytes), inventory.GmailShaped, graphTarget, rate);
    }

    /// <summary>How long <paramref name="lanes"/> workers take for the given jobs, longest first to the least loaded (LPT).</summary>
    public static TimeSpan Makespan(IEnumerable<TimeSpan> jobs, int lanes)
    {
        var loads = new PriorityQueue<int, TimeSpan>();
        var finish = new TimeSpan[Math.Max(1, lanes)];
        for (var i = 0; i < finish.Length; i++)
        {
            loads.Enqueue(i, TimeSpan.Zero);
        }

        foreach (var job in jobs.OrderByDescending(j => j))
        {
            var lane = loads.Dequeue();
            finish[lane] += job;
            loads.Enqueue(lane, finish[lane]);
        }

        return finish.Max();
    }

    public static PlanForecast Forecast(PlanModel plan, IReadOnlyList<MailboxInventory> inventory, TransferRate rate, DateTimeOffset startsAt,
        IReadOnlyDictionary<(string Migration, string Key), TimeSpan>? actuals = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(inventory);
        var known = inventory.Where(i => i.Outcome == InventoryOutcome.Read)
            .GroupBy(i => (i.Migration, PlanCompiler.MailboxKey(i.Target))).ToDictionary(g => g.Key, g => g.First());
        var positions = new MigrationPositions(plan);
        var findings = new List<Diagnostic>();
        var mailboxes = new List<MailboxForecast>();
        var waves = new Dictionary<string, MigrationForecast>(StringComparer.Ordinal);
        var predecessor = new Dictionary<string, string?>(StringComparer.Ordinal);
        var unknown = 0;
        foreach (var migration in PlanCompiler.OrderByDependencies(plan.Migrations))
        {
            var rows = new List<MailboxForecast>();
            var missing = 0;
            foreach (var entry in PlanCompiler.MailboxesOf(plan, migration))
            {
                var key = PlanCompiler.MailboxKey(entry);
                if (!known.TryGetValue((migration.Name, key), out var found))
                {
                    missing++;
                    continue;
                }

                var row = Mailbox(plan, migration, entry, found, rate);
                rows.Add(actuals is not null && actuals.TryGetValue((migration.Name, key), out var actual) ? row with { Actual = actual } : row);
            }

            unknown += missing;
            mailboxes.AddRange(rows);
            var lanes = Math.Max(1, migration.Concurrency.Mailboxes);
            var duration = new DurationRange(
                Makespan(rows.Select(r => r.Duration.Expected), lanes), Makespan(rows.Select(r => r.Duration.Low), lanes), Makespan(rows.Select(r => r.Duration.High), lanes));

            // Starts when its dependencies end (the latest of them is its predecessor on the critical path), not before startAfter.
            var start = DurationRange.Zero;
            string? before = null;
            foreach (var dependency in migration.DependsOn.Where(waves.ContainsKey))
            {
                if (before is null || waves[dependency].End.Expected > start.Expected)
                {
                    before = dependency;
                }

                start = DurationRange.Max(start, waves[dependency].End);
            }

            if (migration.StartAfter is { } after && after > startsAt)
            {
                start = DurationRange.Max(start, DurationRange.Fixed(after - startsAt));
            }

            predecessor[migration.Name] = before;
            var wave = new MigrationForecast(migration.Name, rows.Count + missing, missing, rows.Sum(r => r.Messages), rows.Sum(r => r.Bytes), duration, start, start + duration)
            {
                CompleteAfter = migration.CompleteAfter,
                Binding = rows.Count == 0 ? BindingLimit.Nothing : rows.MaxBy(r => r.Duration.Expected)!.Binding,
            };
            waves[migration.Name] = wave;
            if (migration.CompleteAfter is { } due && startsAt + wave.End.High > due)
            {
                findings.Add(Diagnose.ForecastMissesCompleteAfter(positions.Of(migration, "completeAfter"),
                    migration.Name, startsAt + wave.End.Low, startsAt + wave.End.High, due,
                        hint: "move completeAfter later, raise concurrency.mailboxes, or split the migration into waves"));
            }
        }

        if (unknown > 0)
        {
            findings.Add(Diagnose.ForecastWithoutInventory(SourceLocation.None(Path.GetFileName(plan.PlanFile)), unknown,
                hint: "run 'migrate inventory' for the plan (sources Exchange Online reads itself cannot be inventoried)"));
        }

        var ordered = plan.Migrations.Select(m => waves[m.Name]).ToList();
        return new PlanForecast(plan.Name, startsAt, rate, mailboxes, ordered, CriticalPath(ordered, predecessor), findings);
    }

    private static List<string> CriticalPath(IReadOnlyList<MigrationForecast> waves, IReadOnlyDictionary<string, string?> predecessor)
    {
        var path = new List<string>();
        for (var current = waves.MaxBy(w => w.End.Expected)?.Migration; current is not null; current = predecessor.GetValueOrDefault(current))
        {
            path.Insert(0, current);
        }

        return path;
    }

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(Math.Ceiling(seconds));

    /// <summary>A duration as people read it: 45 s, 12 min, 3 h 20 min, 4 d 2 h.</summary>
    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalDays} d {duration.Hours} h"),
        { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes} min"),
        { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalSeconds} s"),
    };
}
