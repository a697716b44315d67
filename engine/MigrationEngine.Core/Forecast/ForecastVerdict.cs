namespace MigrationEngine.Core.Forecast;

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
