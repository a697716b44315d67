
namespace MigrationEngine.Core.Inventory;

/// <summary>How the inventory of one mailbox ended.</summary>
public enum InventoryOutcome
{
    Read,
    /// <summary>The source is read by Exchange Online's migration service, not by the engine.</summary>
    NotRead,
    Failed,
}
