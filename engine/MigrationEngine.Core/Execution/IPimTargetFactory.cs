namespace MigrationEngine.Core.Execution;

public interface IPimTargetFactory
{
    IReadOnlyCollection<MigrationEngine.Core.Model.EndpointType> Types { get; }

    Task<IPimTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken);
}
