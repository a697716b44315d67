using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Execution;

public sealed class MailboxResult
{
    public required string Migration { get; init; }
    public required string Mailbox { get; init; }
    public required string SourceAddress { get; init; }
    public MailboxOutcome Outcome { get; set; }
    public MailboxCounters Counters { get; } = new();
    /// <summary>Contacts and calendars (the plan's <c>items:</c>), per kind.</summary>
    public PimCounters Items { get; } = new();
    public List<Diagnostic> Diagnostics { get; } = [];
    public List<FolderVerification> Verification { get; } = [];
    public int Folders { get; set; }
    public TimeSpan Duration { get; set; }
}
