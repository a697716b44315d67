using MigrationEngine.Adapters.Dav;
using MigrationEngine.Adapters.Exchange;
using MigrationEngine.Adapters.Files;
using MigrationEngine.Adapters.Graph;
using MigrationEngine.Adapters.Imap;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Cli.Hosting;

/// <summary>The composition root: the only place that knows every adapter.</summary>
internal static class AdapterComposition
{
    public static AdapterRegistry CreateRegistry()
    {
        // The Graph target also writes contacts and calendars, and licenses the mailboxes that cutover, staged and Google Workspace batches create.
        var graph = new GraphTargetFactory();
        return new AdapterRegistry()
            .Add(new FileSourceFactory())
            .Add(new MaildirTargetFactory())
            .Add(new PimFileSourceFactory())
            .Add(new PimFileTargetFactory())
            .Add(new ImapSourceFactory())
            .Add(new ImapTargetFactory())
            .Add((IMailTargetFactory)graph)
            .Add((IPimTargetFactory)graph)
            .Add(new DavSourceFactory())
            .Add(new DavTargetFactory())
            .Add(new ExchangeMigrationExecutor(licensing: graph));
    }
}
