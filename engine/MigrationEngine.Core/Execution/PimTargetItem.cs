namespace MigrationEngine.Core.Execution;

/// <summary>What the target already holds: per item key, its id there and the content hash it was written with.</summary>
public sealed record PimTargetItem(string Key, string TargetId, string? ContentHash);
