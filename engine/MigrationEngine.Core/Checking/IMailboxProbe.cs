using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Checking;

/// <summary>
/// Implemented by an adapter factory whose <c>OpenAsync</c> would change something (create a user or a folder) or read a
/// whole mailbox before it returns: it proves instead that the mailbox can be opened, without writing. A factory without it
/// is checked by opening the mailbox (connect and log in) and closing it again.
/// </summary>
public interface IMailboxProbe
{
    Task<ProbeResult> ProbeAsync(MailboxContext context, CancellationToken cancellationToken);
}
