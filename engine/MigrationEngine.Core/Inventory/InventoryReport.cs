using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Inventory;

/// <summary>The result of <c>migrate inventory</c>: every mailbox read, the lint findings, and how long it took.</summary>
public sealed record InventoryReport(string Plan, IReadOnlyList<MailboxInventory> Mailboxes, IReadOnlyList<Diagnostic> Findings, TimeSpan Elapsed)
{
    public long Messages => Mailboxes.Sum(m => m.Messages);
    public long Bytes => Mailboxes.Sum(m => m.Bytes);
    public bool HasErrors => Findings.Any(d => d.IsError);
}
