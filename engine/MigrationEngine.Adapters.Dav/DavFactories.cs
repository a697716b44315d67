using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Dav;

/// <summary>Opens CardDAV/CalDAV sources (<c>type: dav</c>): the login and discovery are checked at once, so a wrong password fails the mailbox before anything is read.</summary>
public sealed class DavSourceFactory : IPimSourceFactory
{
    public IReadOnlyCollection<EndpointType> Types { get; } = [EndpointType.Dav];

    public async Task<IPimSource> OpenAsync(MailboxContext context, CancellationToken cancellationToken) =>
        new DavSource(await DavSessions.OpenAsync(context, cancellationToken));
}

internal static class DavSessions
{
    public static async Task<DavSession> OpenAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        var session = new DavSession(new DavHttp(DavSettings.From(context)));
        try
        {
            await session.HomesAsync(cancellationToken);
            context.Logger.Information("DAV account {Account} for mailbox {Mailbox}", session.Settings.ToString(), context.Address);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
