using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Model;

public sealed record AuthDefinition
{
    /// <summary><c>mechanism</c>: password (the default), oauth2, clientCredentials or googleServiceAccount.</summary>
    public AuthMechanism Mechanism { get; init; } = AuthMechanism.Password;
    /// <summary>May contain <c>{mailbox}</c>: the mailbox's address on this side.</summary>
    public string? Username { get; init; }
    public SecretReference? Password { get; init; }
    public SecretReference? AccessToken { get; init; }
    public string? TenantId { get; init; }
    public string? ClientId { get; init; }
    public SecretReference? ClientSecret { get; init; }
    public string? AuthorityHost { get; init; }
    /// <summary>googleServiceAccount: the service account's JSON key (a secret reference).</summary>
    public SecretReference? KeyFile { get; init; }
    /// <summary>googleServiceAccount: the OAuth scope asked for (default https://mail.google.com/).</summary>
    public string? Scope { get; init; }
}
