using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Execution;

public interface IMailTargetFactory
{
    IReadOnlyCollection<EndpointType> Types { get; }

    Task<IMailTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken);
}
