namespace MigrationEngine.Core.Execution;

public interface IPimSourceFactory
{
    /// <summary>Source types this factory serves (ics-vcf, takeout, pst, dav).</summary>
    IReadOnlyCollection<MigrationEngine.Core.Model.EndpointType> Types { get; }

    Task<IPimSource> OpenAsync(MailboxContext context, CancellationToken cancellationToken);
}
