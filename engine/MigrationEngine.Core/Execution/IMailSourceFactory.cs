using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Execution;

public interface IMailSourceFactory
{
    /// <summary>Source types this factory serves (imap, mbox, maildir, eml, pst).</summary>
    IReadOnlyCollection<EndpointType> Types { get; }

    Task<IMailSource> OpenAsync(MailboxContext context, CancellationToken cancellationToken);
}
