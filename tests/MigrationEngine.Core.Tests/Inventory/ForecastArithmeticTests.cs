using MigrationEngine.Core.Forecast;
using MigrationEngine.Core.Inventory;

namespace MigrationEngine.Core.Tests.Inventory;

/// <summary>Forecast arithmetic against hand-computed cases.</summary>
[Trait("Category", "Unit")]
public sealed class ForecastArithmeticTests
{
    private const long MiB = 1024L * 1024;
    private const long GiB = 1024 * MiB;

    [Fact]
    public void A_9_GB_Gmail_mailbox_needs_at_least_four_days_however_fast_the_engine_is()
    {
        // 9 GiB / 2,500 MiB per day = 3.69 quota days: four of them.
        var fast = new TransferRate(1000 * MiB, 10_000, Measured: true, "test");
        var forecast = ForecastCalculator.Mailbox("move", "a@gmail.test", "a@contoso.test", 40_000, 9 * GiB, gmailSource: true, graphTarget: false, fast);

        Assert.Equal(BindingLimit.GmailDailyQuota, forecast.Binding);
        Assert.Equal(TimeSpan.FromDays(4), forecast.Duration.Expected);
        Assert.True(forecast.Duration.Low >= TimeSpan.FromDays(4));
        Assert.Equal(4, InventoryLint.GmailQuotaDays(9 * GiB));
        Assert.Equal(1, InventoryLint.GmailQuotaDays(2500 * MiB));
        Assert.Equal(2, InventoryLint.GmailQuotaDays((2500 * MiB) + 1));
    }

    [Fact]
    public void A_2_GB_Graph_mailbox_of_5000_messages_is_bound_by_the_150_MB_per_5_minutes_window()
    {
        // 2,048 MiB / 150 MiB per 300 s = 4,096 s; the requests (5,000 x 1.05 / (10,000 per 600 s)) take 315 s and
        // the default rate (2 MiB/s, 10 messages/s) 1,024 s, 2,048 s at its slowest.
        var forecast = ForecastCalculator.Mailbox("move", "b@old.test", "b@contoso.test", 5_000, 2 * GiB, gmailSource: false, graphTarget: true, TransferRate.Default);

        Assert.Equal(BindingLimit.GraphUploadWindow, forecast.Binding);
        Assert.Equal(TimeSpan.FromSeconds(4096), forecast.Duration.Expected);
        Assert.Equal(TimeSpan.FromSeconds(4096), forecast.Duration.Low);
        Assert.Equal(TimeSpan.FromSeconds(4096), forecast.Duration.High);
    }

    [Fact]
    public void Without_a_hard_limit_the_rate_binds_and_the_range_spans_half_to_twice_the_rate()
    {
        // 100 MiB at 2 MiB/s = 50 s; 1,000 messages at 10/s = 100 s: the message rate binds.
        var forecast = ForecastCalculator.Mailbox("move", "c@old.test", "c@new.test", 1_000, 100 * MiB, gmailSource: false, graphTarget: false, TransferRate.Default);

        Assert.Equal(BindingLimit.TransferRate, forecast.Binding);
        Assert.Equal(TimeSpan.FromSeconds(100), forecast.Duration.Expected);
        Assert.Equal(TimeSpan.FromSeconds(50), forecast.Duration.Low);
        Assert.Equal(TimeSpan.FromSeconds(200), forecast.Duration.High);
    }

    [Fact]
    public void Mailboxes_of_a_wave_share_its_lanes_longest_first()
    {
        TimeSpan[] jobs = [TimeSpan.FromHours(3), TimeSpan.FromHours(2), TimeSpan.FromHours(2), TimeSpan.FromHours(1)];

        Assert.Equal(TimeSpan.FromHours(8), ForecastCalculator.Makespan(jobs, 1));
        Assert.Equal(TimeSpan.FromHours(4), ForecastCalculator.Makespan(jobs, 2));
        Assert.Equal(TimeSpan.FromHours(3), ForecastCalculator.Makespan(jobs, 8));
        Assert.Equal(TimeSpan.Zero, ForecastCalculator.Makespan([], 4));
    }
}
