using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Files;

/// <summary>Opens Maildir++ targets: <c>path/&lt;target address&gt;/</c> is the mailbox root, created when missing.</summary>
public sealed partial class MaildirTargetFactory : IMailTargetFactory
{
    public IReadOnlyCollection<EndpointType> Types { get; } = [EndpointType.Maildir];

    public Task<IMailTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var basePath = context.Endpoint.Path;
        if (string.IsNullOrWhiteSpace(basePath))
        {
            throw new MigrationException(Diagnose.FileEndpointPathMissing(context.Endpoint.Location, context.Endpoint.Name, context.Endpoint.Type.Yaml()));
        }

        var root = MailboxFileNames.PathFor(basePath, context.Address);
        MaildirOwnerMarker.Claim(root, context);
        return Task.FromResult<IMailTarget>(MaildirTarget.Open(root, context.Logger));
    }
}
