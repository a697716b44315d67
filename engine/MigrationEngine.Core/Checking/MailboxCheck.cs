using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Checking;

/// <summary>One checked mailbox: both sides' outcomes and how long the check took.</summary>
public sealed record MailboxCheck(string Migration, MailboxEntry Mailbox, ProbeResult Source, ProbeResult Target, TimeSpan Elapsed)
{
    public bool Passed => Source.Passed && Target.Passed;
}
