using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Checking;

/// <summary>
/// <c>migrate check</c> through the contacts and calendar adapters, for the sides apply opens only through them: a
/// migration that moves no mail, or an endpoint type without a mail adapter (ics-vcf, dav). A source is opened and its
/// address books and calendars listed (a DAV source: login and discovery, then the collections); a target is opened like a
/// mail target (a DAV target: login and discovery), or proves itself through <see cref="IMailboxProbe"/> where opening it
/// would write (an ics-vcf target creates its folder and owner marker).
/// </summary>
public sealed partial class MailboxChecker
{
    private bool UsesPimAdapter(MigrationDefinition migration, EndpointDefinition endpoint)
    {
        if (!migration.Items.Any(k => k != ItemKind.Mail))
        {
            return false;
        }

        var source = endpoint.Role == EndpointRole.Source;
        var hasPim = source ? adapters.HasPimSource(endpoint.Type) : adapters.HasPimTarget(endpoint.Type);
        var hasMail = source ? adapters.HasSource(endpoint.Type) : adapters.HasTarget(endpoint.Type);
        return hasPim && (!hasMail || !migration.MovesMail);
    }

    private async Task<ProbeResult> ProbePimAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.Endpoint;
        if (endpoint.Role == EndpointRole.Source)
        {
            await using var source = await adapters.PimSource(endpoint.Type, endpoint.Location).OpenAsync(context, cancellationToken);
            foreach (var kind in context.Migration.Items.Where(k => k != ItemKind.Mail))
            {
                await source.ListCollectionsAsync(kind, cancellationToken);
            }

            return ProbeResult.Ok;
        }

        var factory = adapters.PimTarget(endpoint.Type, endpoint.Location);
        if (factory is IMailboxProbe probe)
        {
            return await probe.ProbeAsync(context, cancellationToken);
        }

        await using var target = await factory.OpenAsync(context, cancellationToken);
        return ProbeResult.Ok;
    }
}
