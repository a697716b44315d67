using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Model;

/// <summary>Which mailboxes of a user a remote move (hybrid) migrates: the migration CSV's <c>MailboxType</c> column.</summary>
public enum MailboxScope
{
    PrimaryAndArchive,
    PrimaryOnly,
    ArchiveOnly,
}

/// <summary>What <c>apply</c> does when state says a batch existed and Exchange Online no longer has it (the service removes old batches).</summary>
public enum RemovedBatchAction
{
    /// <summary>Create the batch again and migrate (the default before the batch completed).</summary>
    Recreate,

    /// <summary>Report the migration as completed (the default once the batch was completed: the service removes completed batches after 60 days).</summary>
    ReportCompleted,
}

/// <summary>
/// One reviewed acceptance of skipped items (Data Consistency Score "Investigate"): for one mailbox, or <c>*</c> for every user of the
/// migration's batches, at most <see cref="MaxSkippedItems"/> skipped items. Committed in the plan, so approvals are reviewed like code.
/// </summary>
public sealed record SkippedItemApproval(string Mailbox, int MaxSkippedItems, string ApprovedBy, string? Reason, SourceLocation Location)
{
    public bool AppliesTo(string address) => Mailbox == "*" || string.Equals(Mailbox, address, StringComparison.OrdinalIgnoreCase);
}

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

/// <summary>Migration endpoint settings of a source (Outlook Anywhere servers, Autodiscover, concurrency, Google service account).</summary>
public sealed record ExchangeEndpointSettings
{
    /// <summary>The Outlook Anywhere (RPC proxy) host; <c>server</c> is then the mailbox server's FQDN.</summary>
    public string? RpcProxyServer { get; init; }

    /// <summary>Find the servers with Autodiscover from an e-mail address (New-MigrationEndpoint -Autodiscover).</summary>
    public bool Autodiscover { get; init; }

    /// <summary>The address Autodiscover and the connection test use (null: the first mailbox's source address).</summary>
    public string? EmailAddress { get; init; }

    /// <summary>Null leaves the service's value (default 100, or what an admin set in the admin center).</summary>
    public int? MaxConcurrentMigrations { get; init; }

    /// <summary>Null leaves the service's value (default 20).</summary>
    public int? MaxConcurrentIncrementalSyncs { get; init; }

    /// <summary>Google Workspace: the service account's JSON key (New-MigrationEndpoint -Gmail -ServiceAccountKeyFileData).</summary>
    public SecretReference? ServiceAccountKey { get; init; }
}
