namespace MigrationEngine.Core.Forecast;

/// <summary>The forecast of a plan: per mailbox, per migration, the critical path through dependsOn, and the rate it used.</summary>
public sealed record PlanForecast(
    string Plan,
    DateTimeOffset StartsAt,
    TransferRate Rate,
    IReadOnlyList<MailboxForecast> Mailboxes,
    IReadOnlyList<MigrationForecast> Migrations,
    IReadOnlyList<string> CriticalPath,
    IReadOnlyList<Diagnostics.Diagnostic> Findings)
{
    public DurationRange Total => Migrations.Count == 0 ? DurationRange.Zero : Migrations.Select(m => m.End).Aggregate(DurationRange.Max);
}
