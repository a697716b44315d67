using Microsoft.Graph.Models;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using GraphMailFolder = Microsoft.Graph.Models.MailFolder;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// Which plan and state write to an Exchange Online mailbox: the <see cref="TargetOwner"/> text in a single-value
/// extended property (a named string property of our own property set) on the mailbox's root folder, msgfolderroot.
/// mailFolder takes single-value extended properties, created on an existing folder with PATCH and read back with
/// $expand=singleValueExtendedProperties($filter=id eq '...')
/// (https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-post-singlevalueextendedproperties,
/// https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get). An extended property rather than an open
/// extension: it needs only Mail.ReadWrite, which the copy needs anyway, and is invisible to users. Same rule as the
/// Maildir marker (<see cref="TargetOwnerClaim"/>): another state is refused (MIG0240) unless allowSharedTargets.
/// </summary>
internal static class GraphOwnerMarker
{
    public const string PropertyId = GraphExtendedProperties.Owner;

    private const string RootFolder = "msgfolderroot";

    /// <summary>
    /// Claims the mailbox for this run's state: one GET while the marker is this state's, a PATCH when this run writes it.
    /// Graph has no conditional write for it, so a first claim is read back: of two states that claim an unmarked mailbox
    /// at the same moment, the one whose marker is not there refuses.
    /// </summary>
    /// <param name="read">The marker as <see cref="ReadAsync"/> found it when the caller read it already (the read that
    /// proves the mailbox exists), else null.</param>
    public static async Task ClaimAsync(GraphConnection connection, MailboxContext context, string userId, MarkerRead? read, CancellationToken cancellationToken)
    {
        if (context.TargetOwner is not { } owner)
        {
            return;
        }

        try
        {
            var existing = (read ?? await ReadAsync(connection, context, userId, cancellationToken)).Owner;
            switch (TargetOwnerClaim.Decide(owner, existing, context.Plan.AllowSharedTargets))
            {
                case TargetOwnerAction.Keep or TargetOwnerAction.Share:
                    return;
                case TargetOwnerAction.Refuse:
                    throw Refused(context, existing!, owner);
                case TargetOwnerAction.TakeOver:
                    context.Logger.Warning("Target mailbox {Mailbox} was written by {Previous}; this new state takes it over (every message is checked against the target first)",
                        context.Address, existing!.Describe());
                    break;
            }

            await connection.Client.Users[userId].MailFolders[RootFolder].PatchAsync(new GraphMailFolder
            {
                SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = PropertyId, Value = owner.Serialize() }],
            }, cancellationToken: cancellationToken);

            if (existing is null || !existing.SameOwner(owner))
            {
                var after = (await ReadAsync(connection, context, userId, cancellationToken)).Owner;
                if (after is not null && !after.SameOwner(owner) && !context.Plan.AllowSharedTargets)
                {
                    throw Refused(context, after, owner);
                }
            }
        }
        catch (Exception ex) when (ex is not MigrationException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw GraphErrors.ToMigrationException(connection, ex, "record the target owner", context.Address, "Mail.ReadWrite", context.Mailbox.Location);
        }
    }

    /// <summary>
    /// Reads the marker (GET msgfolderroot with the property expanded). Like any folder request it is answered 404
    /// MailboxNotEnabledForRESTAPI for a user without a mailbox, so it doubles as the proof that the mailbox exists.
    /// </summary>
    public static async Task<MarkerRead> ReadAsync(GraphConnection connection, MailboxContext context, string userId, CancellationToken cancellationToken)
    {
        var root = await connection.Client.Users[userId].MailFolders[RootFolder].GetAsync(r =>
        {
            r.QueryParameters.Select = ["id"];
            r.QueryParameters.Expand = [$"singleValueExtendedProperties($filter=id eq '{PropertyId}')"];
        }, cancellationToken);
        var text = root?.SingleValueExtendedProperties?.FirstOrDefault(p => string.Equals(p.Id, PropertyId, StringComparison.OrdinalIgnoreCase))?.Value;
        if (string.IsNullOrEmpty(text))
        {
            return new MarkerRead(null);
        }

        return new MarkerRead(TargetOwner.Parse(text) ?? throw new MigrationException(Diagnose.TargetOwnerUnreadable(context.Mailbox.Location,
            $"{PropertyId} on {RootFolder} of {context.Address}",
                hint: "remove the extended property from the mailbox's root folder if no other state writes to this mailbox, and run again")));
    }

    private static MigrationException Refused(MailboxContext context, TargetOwner existing, TargetOwner owner) =>
        new(Diagnose.TargetOwnedByOther(context.Mailbox.Location,
            context.Address, existing.Describe(), owner.Describe(),
                hint: "apply with that state (--state), or set spec.options.allowSharedTargets: true if both may write to it"));
}

/// <summary>What the mailbox's owner marker said when it was read: <see cref="Owner"/> null when there was none.</summary>
internal sealed record MarkerRead(TargetOwner? Owner);
