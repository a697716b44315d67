namespace MigrationEngine.Core.Execution;

/// <summary>The target's collection that items of a source collection go to.</summary>
public sealed record PimTargetCollection(ItemKind Kind, string Path, string NativeId);
