using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Dav;

/// <summary>Opens CardDAV/CalDAV targets (<c>type: dav</c>).</summary>
public sealed class DavTargetFactory : IPimTargetFactory
{
    public IReadOnlyCollection<EndpointType> Types { get; } = [EndpointType.Dav];


    public async Task<IPimTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken) =>
        new DavTarget(await DavSessions.OpenAsync(context, cancellationToken));
}
