using MigrationEngine.Adapters.Graph.Pim;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph;

/// <summary>The same factory serves contacts and calendars (type graph), on the same connection and mailbox budgets as mail.</summary>
public sealed partial class GraphTargetFactory : IPimTargetFactory
{
    async Task<IPimTarget> IPimTargetFactory.OpenAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        var connection = ConnectionFor(context.Plan, context.Endpoint);
        return await GraphPimTarget.OpenAsync(connection, context, cancellationToken);
    }

    /// <summary>
    /// Reads a mailbox's contacts and calendars back as vCard and iCalendar (<see cref="GraphPimReader"/>): what a copy into
    /// Graph kept, measured by the fidelity tests; the reading half of a graph contacts and calendars source.
    /// </summary>
    public async Task<IPimSource> OpenPimReaderAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = ConnectionFor(context.Plan, context.Endpoint);
        var target = await GraphPimTarget.OpenAsync(connection, context, cancellationToken);
        return new GraphPimReader(connection, target.UserId, context.Address);
    }
}
