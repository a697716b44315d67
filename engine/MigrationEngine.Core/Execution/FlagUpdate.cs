
namespace MigrationEngine.Core.Execution;

/// <summary>The source's current flags for a message already copied, addressed by its id in the target.</summary>
public sealed record FlagUpdate(string TargetId, MailFlags Flags, IReadOnlyList<string> Keywords);
