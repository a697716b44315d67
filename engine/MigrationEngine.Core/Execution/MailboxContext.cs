using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Execution;

/// <summary>Everything an adapter may need to open a mailbox: the endpoint, the mailbox entry, the migration, secrets.</summary>
public sealed record MailboxContext(
    PlanModel Plan,
    MigrationDefinition Migration,
    EndpointDefinition Endpoint,
    MailboxEntry Mailbox,
    Serilog.ILogger Logger)
{
    /// <summary>The mailbox's address on this endpoint's side.</summary>
    public string Address => Endpoint.Role == EndpointRole.Source ? Mailbox.SourceAddress : Mailbox.TargetAddress;

    public string ResolveSecret(SecretReference secret) => secret.Resolve(Plan.PlanDirectory);

    /// <summary>For a target opened by <c>apply</c>: the plan and state writing to it (null elsewhere: no marker is checked).</summary>
    public TargetOwner? TargetOwner { get; init; }
}
