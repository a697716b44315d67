namespace MigrationEngine.Core.Forecast;

/// <summary>A duration with its range: the expected figure, and the fastest and slowest the rates allow.</summary>
public readonly record struct DurationRange(TimeSpan Expected, TimeSpan Low, TimeSpan High)
{
    public static DurationRange Zero { get; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public static DurationRange Fixed(TimeSpan value) => new(value, value, value);

    public static DurationRange Max(DurationRange a, DurationRange b) =>
        new(a.Expected > b.Expected ? a.Expected : b.Expected, a.Low > b.Low ? a.Low : b.Low, a.High > b.High ? a.High : b.High);

    public static DurationRange operator +(DurationRange a, DurationRange b) => new(a.Expected + b.Expected, a.Low + b.Low, a.High + b.High);
}
