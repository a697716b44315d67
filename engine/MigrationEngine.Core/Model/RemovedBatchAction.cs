
namespace MigrationEngine.Core.Model;

/// <summary>What <c>apply</c> does when state says a batch existed and Exchange Online no longer has it (the service removes old batches).</summary>
public enum RemovedBatchAction
{
    /// <summary>Create the batch again and migrate (the default before the batch completed).</summary>
    Recreate,

    /// <summary>Report the migration as completed (the default once the batch was completed: the service removes completed batches after 60 days).</summary>
    ReportCompleted,
}
