using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Forecast;
using MigrationEngine.Core.Inventory;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Reports;

/// <summary>
/// Forecast against actual: for each mailbox <c>migrate inventory</c> measured, what <c>plan --forecast</c> would have said
/// when the reported run started (what was left to move then, at the rate copies finished before it measured) beside what
/// the mailbox's copy took in that run. Null throughout when the plan has no inventory in state.
/// </summary>
public sealed partial class ReportModel
{
    /// <summary>Mailboxes listed by name in <c>forecast.outliers</c> (the summary stays short at 50,000 mailboxes).</summary>
    public const int MaxForecastOutliers = 10;

    private sealed class ForecastColumn
    {
        private readonly PlanModel _plan;
        private readonly ForecastInputs _inputs;
        private readonly Dictionary<(string Migration, string Key), MailboxInventory> _inventory;
        private readonly DateTimeOffset? _runStarted;
        private readonly List<(string Key, MailboxForecast Forecast)> _rows = [];

        private ForecastColumn(PlanModel plan, ForecastInputs inputs, DateTimeOffset? runStarted)
        {
            _plan = plan;
            _inputs = inputs;
            _runStarted = runStarted;
            _inventory = inputs.Inventory.Where(i => i.Outcome == InventoryOutcome.Read)
                .GroupBy(i => (i.Migration, PlanCompiler.MailboxKey(i.Target))).ToDictionary(g => g.Key, g => g.First());
        }

        /// <summary>Null when the plan has no inventory; the steps and totals are the ones the report read already.</summary>
        public static async Task<ForecastColumn?> LoadAsync(PlanModel plan, IStateStore state, RunRecord? reportedRun, IReadOnlyDictionary<string, StepRecord> steps,
            IReadOnlyList<MailboxTotals> totals, CancellationToken cancellationToken)
        {
            var inventory = await ForecastInputs.InventoryAsync(state, plan.Name, cancellationToken);
            return inventory.Count == 0
                ? null
                : new ForecastColumn(plan, ForecastInputs.From(inventory, steps, totals, reportedRun?.StartedAt), reportedRun?.StartedAt);
        }

        /// <summary>The mailbox's forecast for the reported run, and its actual when its copy ran in that run.</summary>
        public object? Row(MigrationDefinition migration, MailboxEntry mailbox, string key, IReadOnlyList<LedgerEntry> ledger, StepRecord? copy)
        {
            if (!_inventory.TryGetValue((migration.Name, key), out var inventory))
            {
                return null;
            }

            var before = ledger.Where(e => e.Outcome == LedgerOutcomes.Copied && (_runStarted is null || e.RecordedAt < _runStarted)).ToList();
            var forecast = ForecastCalculator.Mailbox(_plan, migration, mailbox, inventory, _inputs.Rate, (before.Count, before.Sum(e => e.Size)));
            var ranInReportedRun = copy is { Status: StepStatus.Succeeded, StartedAt: { } started } && (_runStarted is null || started >= _runStarted);
            if (ranInReportedRun && _inputs.Actuals.TryGetValue((migration.Name, key), out var took))
            {
                forecast = forecast with { Actual = took };
            }

            _rows.Add((key, forecast));
            return Obj(
                ("messages", forecast.Messages),
                ("bytes", forecast.Bytes),
                ("expected_seconds", Seconds(forecast.Duration.Expected)),
                ("low_seconds", Seconds(forecast.Duration.Low)),
                ("high_seconds", Seconds(forecast.Duration.High)),
                ("binding", Word(forecast.Binding.ToString())),
                ("actual_seconds", forecast.Actual is { } actual ? Seconds(actual) : null),
                ("verdict", Word(forecast.Verdict.ToString())));
        }

        public object? Summary()
        {
            var compared = _rows.Where(r => r.Forecast.Verdict != ForecastVerdict.NotRun).ToList();
            // Farthest outside the range first: slower ones by how many times their slowest figure they took, then faster ones.
            var outliers = compared.Where(r => r.Forecast.Verdict is ForecastVerdict.Slower or ForecastVerdict.Faster)
                .OrderByDescending(r => r.Forecast.Verdict == ForecastVerdict.Slower)
                .ThenByDescending(r => Distance(r.Forecast))
                .ThenBy(r => r.Key, StringComparer.Ordinal)
                .Take(MaxForecastOutliers);
            return Obj(
                ("rate_measured", _inputs.Rate.Measured),
                ("rate_basis", _inputs.Rate.Basis),
                ("mailboxes", (long)_rows.Count),
                ("compared", (long)compared.Count),
                ("within", (long)compared.Count(r => r.Forecast.Verdict == ForecastVerdict.Within)),
                ("slower", (long)compared.Count(r => r.Forecast.Verdict == ForecastVerdict.Slower)),
                ("faster", (long)compared.Count(r => r.Forecast.Verdict == ForecastVerdict.Faster)),
                ("outliers", outliers.Select(r => (object?)Obj(
                    ("migration", r.Forecast.Migration),
                    ("mailbox", r.Key),
                    ("low_seconds", Seconds(r.Forecast.Duration.Low)),
                    ("high_seconds", Seconds(r.Forecast.Duration.High)),
                    ("binding", Word(r.Forecast.Binding.ToString())),
                    ("actual_seconds", Seconds(r.Forecast.Actual!.Value)),
                    ("verdict", Word(r.Forecast.Verdict.ToString())))).ToList()));
        }

        /// <summary>How many times outside its range a copy took: actual over the slowest figure, or the fastest over actual.</summary>
        private static double Distance(MailboxForecast forecast)
        {
            var actual = Math.Max(1, forecast.Actual!.Value.TotalSeconds);
            return forecast.Verdict == ForecastVerdict.Slower
                ? actual / Math.Max(1, forecast.Duration.High.TotalSeconds)
                : Math.Max(1, forecast.Duration.Low.TotalSeconds) / actual;
        }

        private static double Seconds(TimeSpan duration) => Math.Round(duration.TotalSeconds, 1);

        /// <summary>An enum member as templates read it: GmailDailyQuota becomes gmail_daily_quota, as in plan --forecast --output json.</summary>
        private static string Word(string member) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(member);
    }
}
