namespace MigrationEngine.Core.Forecast;

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
