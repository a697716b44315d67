
namespace MigrationEngine.Core.Execution;

/// <summary>A source folder and where it goes in the target.</summary>
public sealed record FolderAssignment(SourceFolder Source, string TargetPath, SpecialUse SpecialUse);
