using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Checking;

/// <summary>The outcome of <c>migrate check</c>: the offline diagnostics, then one row per mailbox checked.</summary>
public sealed record CheckReport(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<MailboxCheck> Mailboxes, TimeSpan Elapsed)
{
    public bool Passed => !Diagnostics.Any(d => d.IsError) && Mailboxes.All(m => m.Passed);
}
