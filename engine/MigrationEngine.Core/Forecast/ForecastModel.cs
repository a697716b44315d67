namespace MigrationEngine.Core.Forecast;

/// <summary>What bounds how fast a mailbox can move.</summary>
public enum BindingLimit
{
    /// <summary>Gmail's IMAP download limit per user and day (2,500 MB).</summary>
    GmailDailyQuota,
    /// <summary>Graph's per-mailbox upload window: 150 MB per 5 minutes.</summary>
    GraphUploadWindow,
    /// <summary>Graph's per-mailbox request window: 10,000 requests per 10 minutes.</summary>
    GraphRequestWindow,
    /// <summary>The engine's (or Exchange Online's migration service's) transfer rate: measured by this plan's runs, or the default figures.</summary>
    TransferRate,
    /// <summary>Nothing to move.</summary>
    Nothing,
}

/// <summary>A duration with its range: the expected figure, and the fastest and slowest the rates allow.</summary>
public readonly record struct DurationRange(TimeSpan Expected, TimeSpan Low, TimeSpan High)
{
    public static DurationRange Zero { get; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public static DurationRange Fixed(TimeSpan value) => new(value, value, value);

    public static DurationRange Max(DurationRange a, DurationRange b) =>
        new(a.Expected > b.Expected ? a.Expected : b.Expected, a.Low > b.Low ? a.Low : b.Low, a.High > b.High ? a.High : b.High);

    public static DurationRange operator +(DurationRange a, DurationRange b) => new(a.Expected + b.Expected, a.Low + b.Low, a.High + b.High);
}

/// <summary>Where the transfer rate came from: this plan's earlier runs, or the engine's conservative default.</summary>
public sealed record TransferRate(double BytesPerSecond, double MessagesPerSecond, bool Measured, string Basis)
{
    /// <summary>
    /// The default per mailbox until a run of this plan measures its own: 2 MB per second and 10 messages per second. These are
    /// conservative figures of the engine, well under what it measures against Dovecot on loopback (docs/design.md, "Forecast"),
    /// because real servers and networks are slower; the range spans half to twice the rate. Hard limits (Gmail's quota,
    /// Graph's windows) are Microsoft's and Google's published figures and bind whatever the rate.
    /// </summary>
    public static TransferRate Default { get; } = new(2.0 * 1024 * 1024, 10, false,
        "no run of this plan has measured a rate yet: the engine's conservative defaults, 2 MB/s and 10 messages/s per mailbox");
}

/// <summary>How a mailbox's copy went against its forecast.</summary>
public enum ForecastVerdict
{
    /// <summary>No finished copy to compare with.</summary>
    NotRun,
    /// <summary>Took between the forecast's fastest and slowest figure.</summary>
    Within,
    /// <summary>Took longer than the slowest figure.</summary>
    Slower,
    /// <summary>Took less than the fastest figure (often a later pass that moved only what was new).</summary>
    Faster,
}

/// <summary>The forecast of one mailbox.</summary>
public sealed record MailboxForecast(string Migration, string Source, string Target, long Messages, long Bytes, BindingLimit Binding, DurationRange Duration)
{
    /// <summary>How long its copy took in the last run that finished it, when state has one (forecast against actual).</summary>
    public TimeSpan? Actual { get; init; }

    public ForecastVerdict Verdict => Actual switch
    {
        null => ForecastVerdict.NotRun,
        { } took when took > Duration.High => ForecastVerdict.Slower,
        { } took when took < Duration.Low => ForecastVerdict.Faster,
        _ => ForecastVerdict.Within,
    };
}

/// <summary>The forecast of one migration (wave): its mailboxes run <c>concurrency.mailboxes</c> at a time, after its dependencies.</summary>
public sealed record MigrationForecast(string Migration, int Mailboxes, int Unknown, long Messages, long Bytes, DurationRange Duration, DurationRange Start, DurationRange End)
{
    public DateTimeOffset? CompleteAfter { get; init; }

    /// <summary>The migration's limit most of its time goes to (the binding limit of its longest mailbox).</summary>
    public BindingLimit Binding { get; init; } = BindingLimit.Nothing;
}

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
