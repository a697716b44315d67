namespace MigrationEngine.Core.State;

/// <summary>One mailbox's inventory as the state keeps it: the JSON of <c>Inventory.InventoryJson</c>, replaced by each inventory.</summary>
public sealed record InventoryRecord(string Migration, string Mailbox, DateTimeOffset RecordedAt, string Json);
