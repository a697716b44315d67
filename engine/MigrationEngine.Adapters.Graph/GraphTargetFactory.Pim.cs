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
}
