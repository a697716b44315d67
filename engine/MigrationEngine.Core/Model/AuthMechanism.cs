namespace MigrationEngine.Core.Model;

/// <summary>An endpoint's <c>auth.mechanism</c>: how it logs in.</summary>
public enum AuthMechanism
{
    /// <summary>A value the schema refused; it only exists in a plan with errors, which yields no model.</summary>
    Unknown,

    /// <summary>A user name and password (IMAP LOGIN or PLAIN, HTTP Basic); the plan's default.</summary>
    Password,

    /// <summary>An OAuth 2.0 access token, given or obtained (XOAUTH2).</summary>
    OAuth2,

    /// <summary>An Exchange Online app token from the client-credentials flow.</summary>
    ClientCredentials,

    /// <summary>A Google service account with domain-wide delegation.</summary>
    GoogleServiceAccount,
}
