
namespace MigrationEngine.Core.Inventory;

/// <summary>Which mailboxes to read, and where to say how far it got.</summary>
public sealed record InventoryOptions
{
    /// <summary>Only the mailbox with this source or target address (case-insensitive).</summary>
    public string? Mailbox { get; init; }

    /// <summary>Told the number of mailboxes done each time one ends (the CLI's progress line).</summary>
    public IProgress<(int Done, int Total)>? Progress { get; init; }
}
