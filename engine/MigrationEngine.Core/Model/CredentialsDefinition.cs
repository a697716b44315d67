using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Model;

public sealed record CredentialsDefinition
{
    public string? Username { get; init; }
    public SecretReference? Password { get; init; }
}
