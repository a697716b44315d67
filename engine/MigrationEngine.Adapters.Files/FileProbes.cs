using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Checking;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Files;

/// <summary><c>migrate check</c> for file sources: a PST is found, not converted (readpst takes minutes on a large one).</summary>
public sealed partial class FileSourceFactory : IMailboxProbe
{
    public async Task<ProbeResult> ProbeAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Endpoint.Type == EndpointType.Pst && !string.IsNullOrWhiteSpace(context.Endpoint.Path))
        {
            FindPstFile(context, context.Endpoint.Path, context.Address);
            return ProbeResult.Ok;
        }

        await using var source = await OpenAsync(context, cancellationToken);
        return ProbeResult.Ok;
    }
}

/// <summary><c>migrate check</c> for Maildir targets: whether the mailbox folder is there, without creating it or its owner marker.</summary>
public sealed partial class MaildirTargetFactory : IMailboxProbe
{
    public Task<ProbeResult> ProbeAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var basePath = context.Endpoint.Path;
        if (string.IsNullOrWhiteSpace(basePath))
        {
            throw new MigrationException(Diagnose.FileEndpointPathMissing(context.Endpoint.Location, context.Endpoint.Name, context.Endpoint.Type.Yaml()));
        }

        var root = MailboxFileNames.PathFor(basePath, context.Address);
        return Task.FromResult(Directory.Exists(root) ? ProbeResult.Ok : new ProbeResult(ProbeOutcome.CreatedByApply));
    }
}
