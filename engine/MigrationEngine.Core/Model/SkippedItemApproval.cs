using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Model;

/// <summary>
/// One reviewed acceptance of skipped items (Data Consistency Score "Investigate"): for one mailbox, or <c>*</c> for every user of the
/// migration's batches, at most <see cref="MaxSkippedItems"/> skipped items. Committed in the plan, so approvals are reviewed like code.
/// </summary>
public sealed record SkippedItemApproval(string Mailbox, int MaxSkippedItems, string ApprovedBy, string? Reason, SourceLocation Location)
{
    public bool AppliesTo(string address) => Mailbox == "*" || string.Equals(Mailbox, address, StringComparison.OrdinalIgnoreCase);
}
