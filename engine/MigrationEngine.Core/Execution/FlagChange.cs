
namespace MigrationEngine.Core.Execution;

/// <summary>A message whose flags changed since a folder cursor.</summary>
public sealed record FlagChange(string SourceId, MailFlags Flags, IReadOnlyList<string> Keywords);
