using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Adapters.Files.Pim;
using MigrationEngine.Adapters.Files.Pst;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Files;

/// <summary>
/// Contacts and calendars from files: <c>ics-vcf</c> trees, Google Takeout exports (<c>mbox</c> with <c>layout: takeout</c>) and
/// PST files (what readpst extracts as contacts and appointments).
/// Which types carry which kinds is <see cref="ItemCapabilities"/>.
/// </summary>
public sealed class PimFileSourceFactory : IPimSourceFactory
{
    public IReadOnlyCollection<EndpointType> Types { get; } = [EndpointType.IcsVcf, EndpointType.Mbox, EndpointType.Pst];

    public async Task<IPimSource> OpenAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.Endpoint;
        if (endpoint.Type == EndpointType.Pst)
        {
            // The PST is converted once by readpst (shared with its mail source); its .vcf and .ics files are the items.
            var pst = await PstSource.OpenAsync(FileSourceFactory.FindPstFile(context, endpoint.Path ?? MailboxRoot(context), context.Address), context.Logger, cancellationToken);
            return new PimFileSource(pst.Root, kind => PimFileLayouts.Pst(pst.Root, kind), owner: pst);
        }

        var root = MailboxRoot(context);
        if (!Directory.Exists(root))
        {
            throw new MigrationException(Diagnose.FileMailboxNotFound(context.Mailbox.Location,
                context.Address, $"the directory {root}", hint: $"check the path of endpoint '{endpoint.Name}' and the mailbox address"));
        }

        return endpoint.Type == EndpointType.Mbox
            ? new PimFileSource(root, kind => PimFileLayouts.Takeout(root, context.Address, kind), mergeDuplicates: true)
            : new PimFileSource(root, kind => PimFileLayouts.IcsVcf(root, kind));
    }

    internal static string MailboxRoot(MailboxContext context)
    {
        var basePath = context.Endpoint.Path;
        if (string.IsNullOrWhiteSpace(basePath))
        {
            throw new MigrationException(Diagnose.FileEndpointPathMissing(context.Endpoint.Location, context.Endpoint.Name, context.Endpoint.Type.Yaml()));
        }

        return MailboxFileNames.PathFor(basePath, context.Address);
    }
}

/// <summary>
/// Writes contacts and calendars as files in the ics-vcf layout: for an <c>ics-vcf</c> target, and for a <c>maildir</c> target
/// beside the Maildir++ folders of the mailbox (<c>contacts/</c> and <c>calendar/</c> are not Maildir++ folders, which start
/// with a dot, so mail clients and Dovecot leave them alone).
/// </summary>
public sealed partial class PimFileTargetFactory : IPimTargetFactory
{
    public IReadOnlyCollection<EndpointType> Types { get; } = [EndpointType.IcsVcf, EndpointType.Maildir];

    public Task<IPimTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = PimFileSourceFactory.MailboxRoot(context);
        MaildirOwnerMarker.Claim(root, context);
        return Task.FromResult<IPimTarget>(new IcsVcfTarget(root));
    }
}
