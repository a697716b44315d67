using System.Globalization;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Forecast;

/// <summary>
/// What this plan's earlier runs measured: each copied mailbox's copy step time (its last run) and the bytes and messages the
/// ledger holds for it. The forecast's rate is their sum over the sum of times, so a plan's own servers and network decide
/// it once a run has moved enough; until then <see cref="TransferRate.Default"/>. With <c>finishedBefore</c> only copy steps
/// that finished before that time make the rate: what the forecast said before a run, which the run's report compares with
/// what the run took (a rate measured by the run itself would agree with the run by construction).
/// </summary>
public static class MeasuredRates
{
    /// <summary>Below this many bytes copied a measured rate says more about connection set-up than about transfer.</summary>
    public const long MinimumBytes = 50L * 1024 * 1024;

    public static (TransferRate Rate, IReadOnlyDictionary<(string Migration, string Key), TimeSpan> Actuals) From(
        IReadOnlyDictionary<string, StepRecord> steps, IReadOnlyList<MailboxTotals> totals, DateTimeOffset? finishedBefore = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(totals);
        var actuals = new Dictionary<(string, string), TimeSpan>();
        foreach (var step in steps.Values)
        {
            var parts = step.StepId.Split('/', 3);
            if (parts.Length == 3 && parts[0] == "copy" && step.Status == StepStatus.Succeeded
                && step.StartedAt is { } started && step.FinishedAt is { } finished && finished > started)
            {
                actuals[(parts[1], parts[2])] = finished - started;
            }
        }

        // A mailbox whose copy step finished before the cut was not copied after it (the step record is its last run's), so its
        // ledger totals are the earlier runs' too: bytes and time stay paired.
        var measurable = finishedBefore is { } cut
            ? actuals.Where(a => steps.TryGetValue($"copy/{a.Key.Item1}/{a.Key.Item2}", out var step) && step.FinishedAt < cut).ToDictionary(a => a.Key, a => a.Value)
            : actuals;
        double seconds = 0;
        long bytes = 0;
        long messages = 0;
        var mailboxes = 0;
        foreach (var total in totals)
        {
            if (total.BytesCopied > 0 && measurable.TryGetValue((total.Migration, total.Mailbox), out var took))
            {
                seconds += took.TotalSeconds;
                bytes += total.BytesCopied;
                messages += total.Copied;
                mailboxes++;
            }
        }

        if (bytes < MinimumBytes || seconds <= 0)
        {
            return (TransferRate.Default, actuals);
        }

        var rate = new TransferRate(bytes / seconds, Math.Max(messages / seconds, 0.1), Measured: true,
            string.Create(CultureInfo.InvariantCulture, $"measured by this plan's earlier runs: {bytes / seconds / (1024 * 1024):0.0} MB/s and {messages / seconds:0.0} messages/s per mailbox over {mailboxes:N0} mailbox(es)"));
        return (rate, actuals);
    }
}
