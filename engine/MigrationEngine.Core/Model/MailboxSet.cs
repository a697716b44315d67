using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Model;

public sealed record MailboxSet
{
    public required string Name { get; init; }
    public required SourceLocation Location { get; init; }
    /// <summary>Absolute path of the CSV when the set comes from one.</summary>
    public string? CsvFile { get; init; }
    public IReadOnlyList<MailboxEntry> Mailboxes { get; init; } = [];
}
