using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Forecast;
using MigrationEngine.Core.Inventory;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Tests.Inventory;

/// <summary>Waves, dependsOn and completeAfter in a forecast built from an inventory.</summary>
[Trait("Category", "Unit")]
public sealed class ForecastPlanTests
{
    private const long MiB = 1024L * 1024;
    private static readonly SourceLocation At = new("/plans/forecast.yaml", 1, 1);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_critical_path_follows_dependsOn_and_a_late_completeAfter_is_reported()
    {
        // pilot: 2 mailboxes of 3,600 MiB at 2 MiB/s (30 min each) on 1 lane = 60 min. wave: 1 mailbox of 7,200 MiB (60 min) after pilot.
        var plan = Plan(
            Migration("pilot", ["a@x.test", "b@x.test"], lanes: 1),
            Migration("wave", ["c@x.test", "d@x.test"], lanes: 4, dependsOn: ["pilot"], completeAfter: Start.AddMinutes(90)));
        MailboxInventory[] inventory = [Mailbox("pilot", "a@x.test", 3600 * MiB), Mailbox("pilot", "b@x.test", 3600 * MiB), Mailbox("wave", "c@x.test", 7200 * MiB)];

        var forecast = ForecastCalculator.Forecast(plan, inventory, TransferRate.Default, Start);

        var pilot = forecast.Migrations[0];
        var wave = forecast.Migrations[1];
        Assert.Equal(TimeSpan.FromMinutes(60), pilot.Duration.Expected);
        Assert.Equal(TimeSpan.FromMinutes(60), wave.Start.Expected);
        Assert.Equal(TimeSpan.FromMinutes(120), wave.End.Expected);
        Assert.Equal(TimeSpan.FromMinutes(60), wave.End.Low);
        Assert.Equal(TimeSpan.FromMinutes(240), wave.End.High);
        Assert.Equal(1, wave.Unknown);
        Assert.Equal(["pilot", "wave"], forecast.CriticalPath);
        Assert.Equal(TimeSpan.FromMinutes(120), forecast.Total.Expected);

        var late = Assert.Single(forecast.Findings, d => d.Code == "MIG1440");
        Assert.Contains("migration 'wave' is forecast to end 2026-01-01 01:00:00Z at the earliest and 2026-01-01 04:00:00Z at the latest", late.Message, StringComparison.Ordinal);
        var unknown = Assert.Single(forecast.Findings, d => d.Code == "MIG1441");
        Assert.StartsWith("1 mailbox(es)", unknown.Message, StringComparison.Ordinal);

        var text = ForecastRenderer.Text(forecast);
        Assert.Contains("Critical path: pilot -> wave (dependsOn), ends after 2 h 0 min.", text, StringComparison.Ordinal);
        Assert.Contains("at risk (2026-01-01 01:30Z)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Measured_rates_replace_the_defaults_once_a_run_moved_enough()
    {
        var started = Start;
        var steps = new Dictionary<string, StepRecord>
        {
            ["copy/move/a@x.test"] = new() { StepId = "copy/move/a@x.test", Kind = "copy", InputHash = "h", Status = StepStatus.Succeeded, StartedAt = started, FinishedAt = started.AddSeconds(100) },
        };
        MailboxTotals[] totals = [new("move", "a@x.test", 1000, 400 * MiB, 0, 0, 0, 0)];

        var (rate, actuals) = MeasuredRates.From(steps, totals);

        Assert.True(rate.Measured);
        Assert.Equal(4 * MiB, rate.BytesPerSecond);
        Assert.Equal(10, rate.MessagesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(100), actuals[("move", "a@x.test")]);
        Assert.False(MeasuredRates.From(steps, [new("move", "a@x.test", 10, MiB, 0, 0, 0, 0)]).Rate.Measured);
    }

    private static MailboxInventory Mailbox(string migration, string address, long bytes) => new()
    {
        Migration = migration,
        Source = address,
        Target = address,
        Folders = [new FolderInventory { Path = "INBOX", SpecialUse = SpecialUse.Inbox, Messages = 10, Bytes = bytes }],
    };

    private static MigrationDefinitionWithMailboxes Migration(string name, IReadOnlyList<string> mailboxes, int lanes, IReadOnlyList<string>? dependsOn = null, DateTimeOffset? completeAfter = null) => new(new MigrationDefinition
    {
        Name = name,
        Type = MigrationType.Imap,
        From = "old",
        To = "new",
        MailboxSets = [name],
        DependsOn = dependsOn ?? [],
        Concurrency = new ConcurrencyLimits { Mailboxes = lanes },
        CompleteAfter = completeAfter,
        Location = At,
        CanonicalSettings = "{}",
    }, mailboxes);

    private static PlanModel Plan(params MigrationDefinitionWithMailboxes[] migrations) => new()
    {
        Name = "forecast",
        PlanFile = "/plans/does-not-exist/forecast.yaml",
        ContentHash = "0",
        Sources = new Dictionary<string, EndpointDefinition> { ["old"] = Endpoint("old", EndpointRole.Source, EndpointType.Imap) },
        Targets = new Dictionary<string, EndpointDefinition> { ["new"] = Endpoint("new", EndpointRole.Target, EndpointType.Imap) },
        MailboxSets = migrations.ToDictionary(m => m.Definition.Name, m => new MailboxSet
        {
            Name = m.Definition.Name,
            Location = At,
            Mailboxes = m.Mailboxes.Select(a => new MailboxEntry { SourceAddress = a, TargetAddress = a, Location = At }).ToList(),
        }),
        Migrations = migrations.Select(m => m.Definition).ToList(),
    };

    private static EndpointDefinition Endpoint(string name, EndpointRole role, EndpointType type) =>
        new() { Name = name, Role = role, Type = type, Location = At, CanonicalSettings = "{}" };

    private sealed record MigrationDefinitionWithMailboxes(MigrationDefinition Definition, IReadOnlyList<string> Mailboxes);
}
