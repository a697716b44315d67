using Microsoft.Graph.Models.ODataErrors;
using MigrationEngine.Core.Checking;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// <c>migrate check</c> for a graph target: the token, then the user (GET /users/{id}), then its mailbox (GET its inbox, which
/// answers 404 MailboxNotEnabledForRESTAPI for a user without an Exchange Online mailbox). Unlike <see cref="OpenAsync"/> it
/// never creates a user: with provision.createUsers a missing user is reported as created by apply.
/// </summary>
public sealed partial class GraphTargetFactory : IMailboxProbe
{
    public async Task<ProbeResult> ProbeAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = ConnectionFor(context.Plan, context.Endpoint);
        var address = context.Address;
        var location = context.Mailbox.Location;
        var user = await GraphProvisioner.GetUserAsync(connection, address, location, cancellationToken);
        if (user is null)
        {
            return context.Endpoint.Provision is { CreateUsers: true }
                ? new ProbeResult(ProbeOutcome.CreatedByApply)
                : new ProbeResult(ProbeOutcome.MailboxMissing, Diagnose.GraphMailboxMissing(location, address, connection.TenantId,
                    hint: "create the user, or set provision.createUsers: true on the target"));
        }

        try
        {
            // https://learn.microsoft.com/graph/api/mailfolder-get: a user without a mailbox answers 404 (MailboxNotEnabledForRESTAPI).
            await connection.Client.Users[user.Id].MailFolders["inbox"].GetAsync(r => r.QueryParameters.Select = ["id"], cancellationToken);
            return ProbeResult.Ok;
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            return new ProbeResult(ProbeOutcome.NoMailbox, Diagnose.GraphMailboxNotEnabled(location, address, connection.TenantId,
                GraphErrors.MailboxNotEnabled(error) ?? GraphErrors.Describe(error), hint: GraphErrors.LicenceHint));
        }
        catch (Exception ex) when (ex is not MigrationException and not OperationCanceledException)
        {
            throw GraphErrors.ToMigrationException(connection, ex, "read the mail folders", address, "Mail.ReadWrite", location);
        }
    }
}
