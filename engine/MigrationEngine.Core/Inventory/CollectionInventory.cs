
namespace MigrationEngine.Core.Inventory;

/// <summary>An address book or calendar of a source mailbox: how many items it holds, their size, and how many the source cannot read.</summary>
public sealed record CollectionInventory(Execution.ItemKind Kind, string Path, int Items, long Bytes, int BadItems);
