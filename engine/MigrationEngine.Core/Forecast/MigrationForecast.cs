namespace MigrationEngine.Core.Forecast;

/// <summary>The forecast of one migration (wave): its mailboxes run <c>concurrency.mailboxes</c> at a time, after its dependencies.</summary>
public sealed record MigrationForecast(string Migration, int Mailboxes, int Unknown, long Messages, long Bytes, DurationRange Duration, DurationRange Start, DurationRange End)
{
    public DateTimeOffset? CompleteAfter { get; init; }

    /// <summary>The migration's limit most of its time goes to (the binding limit of its longest mailbox).</summary>
    public BindingLimit Binding { get; init; } = BindingLimit.Nothing;
}
