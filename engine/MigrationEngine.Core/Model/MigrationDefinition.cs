using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Model;

public sealed record MigrationDefinition
{
    public required string Name { get; init; }
    /// <summary>imap, cutover, staged, hybrid, gworkspace, pst or import.</summary>
    public required MigrationType Type { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public IReadOnlyList<string> MailboxSets { get; init; } = [];
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    /// <summary>What the migration moves (<c>items:</c>), in the plan's order; default mail only.</summary>
    public IReadOnlyList<Execution.ItemKind> Items { get; init; } = [Execution.ItemKind.Mail];

    /// <summary>Whether <see cref="Items"/> names mail (the mail steps run) or only contacts and calendars.</summary>
    public bool MovesMail => Items.Contains(Execution.ItemKind.Mail);
    public FolderRules Folders { get; init; } = new();
    public MessageFilters Filters { get; init; } = new();
    public ConcurrencyLimits Concurrency { get; init; } = new();
    public int Passes { get; init; } = 1;
    /// <summary>For imap: <c>engine</c> (default, we copy) or <c>exchange</c> (Microsoft's service).</summary>
    public CopyEngine Engine { get; init; } = CopyEngine.Engine;
    /// <summary>Gmail labels (IMAP and Takeout): where a message with several labels is copied (see <see cref="LabelCopyMode"/>).</summary>
    public LabelCopyMode LabelCopies { get; init; } = LabelCopyMode.Each;
    /// <summary>Gmail placement settings beyond <see cref="LabelCopies"/>: label priority for <c>once</c>, Important.</summary>
    public GmailSettings Gmail { get; init; } = new();
    public bool SyncFlags { get; init; }
    public int? BadItemLimit { get; init; }
    public bool Complete { get; init; }
    public DateTimeOffset? StartAfter { get; init; }
    public DateTimeOffset? CompleteAfter { get; init; }
    public IReadOnlyList<string> NotificationEmails { get; init; } = [];
    public string? TargetDeliveryDomain { get; init; }
    /// <summary>The <c>exchange:</c> block: settings of Exchange Online's migration service.</summary>
    public ExchangeMigrationSettings Exchange { get; init; } = new();
    public required SourceLocation Location { get; init; }
    /// <summary>This migration's own settings as canonical JSON, for hashing.</summary>
    public required string CanonicalSettings { get; init; }
}
