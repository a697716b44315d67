namespace MigrationEngine.Core.Compilation;

/// <summary>A typed step with a stable id, the hash of the plan inputs it depends on, and its dependencies.</summary>
public sealed record Step
{
    public required string Id { get; init; }
    public required StepKind Kind { get; init; }
    public required string Migration { get; init; }
    /// <summary>Target address (lower case) for per-mailbox steps.</summary>
    public string? Mailbox { get; init; }
    public required string InputHash { get; init; }
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public required string Description { get; init; }

    /// <summary>Steps whose work is only known at run time (the folders of a mailbox).</summary>
    public bool ExpandsAtRunTime => Kind is StepKind.CopyFolders or StepKind.CopyContacts or StepKind.CopyCalendar;

    public static string KindName(StepKind kind) => kind switch
    {
        StepKind.PreflightSource => "preflight-source",
        StepKind.PreflightTarget => "preflight-target",
        StepKind.EnsureFolders => "ensure-folders",
        StepKind.CopyFolders => "copy",
        StepKind.Verify => "verify",
        StepKind.EnsureEndpoint => "ensure-endpoint",
        StepKind.EnsureBatch => "ensure-batch",
        StepKind.StartBatch => "start-batch",
        StepKind.CompleteBatch => "complete-batch",
        StepKind.CopyContacts => "copy-contacts",
        StepKind.CopyCalendar => "copy-calendar",
        StepKind.MigrationDone => "migration",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public string KindText => KindName(Kind);
}
