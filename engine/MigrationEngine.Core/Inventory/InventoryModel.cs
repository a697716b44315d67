
namespace MigrationEngine.Core.Inventory;

/// <summary>One of a folder's largest messages (the source's id, its size and date; never its content).</summary>
public sealed record LargeItem(string SourceId, long Size, DateTimeOffset? Date);
