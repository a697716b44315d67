
namespace MigrationEngine.Core.Execution;

public sealed record TargetFolder(string Path, string NativeId, SpecialUse SpecialUse = SpecialUse.None);
