
namespace MigrationEngine.Core.Model;

/// <summary>The plan's <c>exchange:</c> block of a migration: settings of Exchange Online's migration service only.</summary>
public sealed record ExchangeMigrationSettings
{
    /// <summary>Hybrid only: primary mailbox, archive, or both (null: the service's default, both).</summary>
    public MailboxScope? MailboxType { get; init; }

    public IReadOnlyList<SkippedItemApproval> SkippedItemApprovals { get; init; } = [];

    /// <summary>Null: recreate before completion, report completed after (see <see cref="RemovedBatchAction"/>).</summary>
    public RemovedBatchAction? WhenRemoved { get; init; }

    /// <summary>Remove-MigrationBatch once the batch is completed (the last step of Microsoft's cutover and staged articles).</summary>
    public bool RemoveWhenCompleted { get; init; }

    /// <summary>How long one apply follows a batch (null: the executor's default).</summary>
    public TimeSpan? MaxWait { get; init; }

    /// <summary>The plan wrote <c>filters.since</c> as a duration (90d): the date is fixed when the batch is created.</summary>
    public TimeSpan? SinceAgo { get; init; }
}
