using System.Collections.Concurrent;
using System.Net;
using Azure.Core;
using Azure.Identity;
using MailKit.Net.Imap;
using MailKit.Security;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Imap;

/// <summary>Logs in with the resolved <see cref="ImapLogin"/>: password, admin-for-user (SASL PLAIN authzid), OAuth2 or a Google service account.</summary>
internal static class ImapAuthenticator
{
    private const string ExchangeImapScope = "https://outlook.office365.com/.default";
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private static readonly ConcurrentDictionary<string, CachedToken> Tokens = new(StringComparer.Ordinal);

    public static async Task AuthenticateAsync(ImapClient client, ImapSettings settings, CancellationToken cancellationToken)
    {
        var login = settings.Login;
        switch (login.Kind)
        {
            case ImapLoginKind.Password:
                await client.AuthenticateAsync(login.UserName, settings.ResolveSecret(login.Secret!), cancellationToken);
                break;
            case ImapLoginKind.PasswordAsAdmin:
                // Exchange's Domain/Admin/User form: authenticate as Domain\Admin, act as User (RFC 4616 authzid).
                var plain = new SaslMechanismPlain(new NetworkCredential(login.UserName, settings.ResolveSecret(login.Secret!)))
                {
                    AuthorizationId = login.AuthorizationId,
                };
                await client.AuthenticateAsync(plain, cancellationToken);
                break;
            case ImapLoginKind.OAuth2Token:
                await client.AuthenticateAsync(OAuthMechanism(client, login.UserName, settings.ResolveSecret(login.Secret!)), cancellationToken);
                break;
            case ImapLoginKind.OAuth2ClientCredentials:
                var token = await ClientCredentialsTokenAsync(settings, cancellationToken);
                await client.AuthenticateAsync(OAuthMechanism(client, login.UserName, token), cancellationToken);
                break;
            case ImapLoginKind.GoogleServiceAccount:
                // Gmail's XOAUTH2 (https://developers.google.com/workspace/gmail/imap/xoauth2-protocol) with the delegated token.
                var delegated = await GoogleServiceAccountTokens.TokenAsync(settings, cancellationToken);
                try
                {
                    await client.AuthenticateAsync(new SaslMechanismOAuth2(login.UserName, delegated), cancellationToken);
                }
                catch (AuthenticationException)
                {
                    // A refused token (revoked, delegation withdrawn) is not offered again on the next attempt.
                    GoogleServiceAccountTokens.Forget(settings);
                    throw;
                }

                break;
        }
    }

    /// <summary>XOAUTH2 unless the server only offers OAUTHBEARER (RFC 7628).</summary>
    private static SaslMechanism OAuthMechanism(ImapClient client, string userName, string token) =>
        !client.AuthenticationMechanisms.Contains("XOAUTH2") && client.AuthenticationMechanisms.Contains("OAUTHBEARER")
            ? new SaslMechanismOAuthBearer(userName, token)
            : new SaslMechanismOAuth2(userName, token);

    /// <summary>Application token for Exchange Online IMAP, shared by the run's mailboxes and renewed 5 minutes before expiry.</summary>
    private static async Task<string> ClientCredentialsTokenAsync(ImapSettings settings, CancellationToken cancellationToken)
    {
        var auth = settings.Login.Auth;
        var endpoint = settings.Context.Endpoint;
        var tenantId = auth?.TenantId ?? endpoint.TenantId;
        var clientId = auth?.ClientId ?? endpoint.ClientId;
        if (tenantId is null || clientId is null)
        {
            throw new MigrationException(Diagnose.ImapCredentialsMissing(endpoint.Location, tenantId is null ? "tenantId" : "clientId", settings.Address, endpoint.Name,
                hint: "clientCredentials needs auth.tenantId and auth.clientId"));
        }

        var authority = auth?.AuthorityHost ?? endpoint.AuthorityHost;
        var key = string.Join('|', tenantId, clientId, authority, settings.Login.Secret!.HashIdentity);
        if (Tokens.TryGetValue(key, out var cached) && cached.ExpiresOn - RefreshMargin > DateTimeOffset.UtcNow)
        {
            return cached.Token;
        }

        try
        {
            var options = new ClientSecretCredentialOptions();
            if (authority is not null)
            {
                options.AuthorityHost = new Uri(authority);
            }

            var credential = new ClientSecretCredential(tenantId, clientId, settings.ResolveSecret(settings.Login.Secret!), options);
            var token = await credential.GetTokenAsync(new TokenRequestContext([ExchangeImapScope]), cancellationToken);
            Tokens[key] = new CachedToken(token.Token, token.ExpiresOn);
            return token.Token;
        }
        catch (AuthenticationFailedException ex)
        {
            // Azure's message names the tenant and app, not the secret.
            throw new MigrationException(Diagnose.ImapOAuthTokenFailed(endpoint.Location,
                endpoint.Name, clientId, tenantId, ImapSession.Clean(ex.Message)))
            {
                Transient = ex.InnerException is HttpRequestException,
            };
        }
    }

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresOn);
}
