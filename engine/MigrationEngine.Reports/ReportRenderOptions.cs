
namespace MigrationEngine.Reports;

/// <summary>Options a caller rarely needs: the clock (for reproducible reports) and the template limits.</summary>
public sealed record ReportRenderOptions
{
    public static readonly ReportRenderOptions Default = new();

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public TemplateLimits Limits { get; init; } = new();
}
