using System.Security.Cryptography.X509Certificates;
using MailKit.Security;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Adapters.Imap;

internal enum ImapLoginKind
{
    Password,
    /// <summary>SASL PLAIN with an authorization identity: log in as an admin, open the user's mailbox.</summary>
    PasswordAsAdmin,
    OAuth2Token,
    OAuth2ClientCredentials,
    /// <summary>XOAUTH2 with a token from a Google Workspace service account acting for the mailbox (domain-wide delegation).</summary>
    GoogleServiceAccount,
}

/// <summary>
/// Who to log in as. <see cref="ToString"/> never shows the secret; the secret is resolved only when logging in.
/// </summary>
internal sealed class ImapLogin(ImapLoginKind kind, string userName, string? authorizationId, SecretReference? secret, AuthDefinition? auth)
{
    public ImapLoginKind Kind { get; } = kind;

    /// <summary>The login name as shown in messages (the admin form as written, never a secret).</summary>
    public string UserName { get; } = userName;

    public string? AuthorizationId { get; } = authorizationId;

    public SecretReference? Secret { get; } = secret;

    public AuthDefinition? Auth { get; } = auth;

    public override string ToString() => AuthorizationId is null ? UserName : $"{UserName} (for {AuthorizationId})";
}

/// <summary>Connection settings of one mailbox on one IMAP endpoint, resolved from the plan.</summary>
internal sealed class ImapSettings
{
    public required string Host { get; init; }
    public required int Port { get; init; }

    /// <summary>The server, whatever the letter case of its name: what the targets of a factory share knowledge by.</summary>
    public string ServerKey => $"{Host.ToLowerInvariant()}:{Port}";
    public required SecureSocketOptions Security { get; init; }
    /// <summary>caFile as the plan wrote it, for messages; the certificates it holds are <see cref="TrustedAuthorities"/>.</summary>
    public string? CaFile { get; init; }

    /// <summary>The certificates of the endpoint's caFile (loaded and checked by <see cref="TrustedCaFile"/>), or null.</summary>
    public X509Certificate2Collection? TrustedAuthorities { get; init; }
    public required ImapPreset Preset { get; init; }
    public required ImapLogin Login { get; init; }
    public required MailboxContext Context { get; init; }

    public string Address => Context.Address;
    public string EndpointName => Context.Endpoint.Name;
    public SourceLocation EndpointLocation => Context.Endpoint.Location;
    public SourceLocation MailboxLocation => Context.Mailbox.Location;
    public Serilog.ILogger Logger => Context.Logger;

    public static ImapSettings From(MailboxContext context)
    {
        var endpoint = context.Endpoint;
        var preset = ImapPreset.For(endpoint.Preset);
        var host = endpoint.Host ?? preset.DefaultHost
            ?? throw Invalid(context, "'host' is required (no preset gives one)");
        var security = (endpoint.Tls ?? TlsMode.Implicit) switch
        {
            TlsMode.Implicit => SecureSocketOptions.SslOnConnect,
            TlsMode.StartTls => SecureSocketOptions.StartTls,
            TlsMode.None => SecureSocketOptions.None,
            _ => throw Invalid(context, "tls must be implicit, starttls or none"),
        };
        if (security == SecureSocketOptions.None && !endpoint.AllowInsecure)
        {
            throw Invalid(context, "tls: none sends passwords in clear text; set allowInsecure: true to accept that");
        }

        var port = endpoint.Port ?? (security == SecureSocketOptions.SslOnConnect ? 993 : 143);
        return new ImapSettings
        {
            Host = host,
            Port = port,
            Security = security,
            CaFile = endpoint.CaFile,
            TrustedAuthorities = TrustedCaFile.Load(context.Plan, endpoint),
            Preset = preset,
            Login = ResolveLogin(context),
            Context = context,
        };
    }

    /// <summary>
    /// The mailbox's own credentials apply to the source side; otherwise the endpoint's auth block, whose username
    /// may contain {mailbox}. <c>Domain/Admin/User</c> logs in as Domain\Admin with User as authorization identity
    /// (SASL PLAIN authzid, how Exchange grants admin access); <c>user*admin</c> goes to the server unchanged
    /// (Dovecot master user). Without any username the mailbox address is the login.
    /// </summary>
    private static ImapLogin ResolveLogin(MailboxContext context)
    {
        var endpoint = context.Endpoint;
        var mailbox = context.Mailbox;
        var auth = endpoint.Auth;
        var mechanism = auth?.Mechanism ?? AuthMechanism.Password;

        string? userName = null;
        SecretReference? password = auth?.Password;
        var adminForm = AdminCredentialForm.None;
        if (endpoint.Role == EndpointRole.Source && (mailbox.Username is not null || mailbox.Password is not null))
        {
            // The mailbox's own login wins as a whole: mixing it with the endpoint's admin password would never work.
            userName = mailbox.Username;
            adminForm = mailbox.AdminForm;
            password = mailbox.Password ?? password;
        }
        else if (auth?.Username is not null)
        {
            userName = auth.Username.Replace("{mailbox}", context.Address, StringComparison.OrdinalIgnoreCase);
        }

        userName ??= context.Address;
        if (adminForm == AdminCredentialForm.None && LooksLikeExchangeAdmin(userName))
        {
            adminForm = AdminCredentialForm.ExchangeAdmin;
        }

        switch (mechanism)
        {
            case AuthMechanism.OAuth2:
                return new ImapLogin(ImapLoginKind.OAuth2Token, userName, null,
                    auth?.AccessToken ?? throw Missing(context, "auth.accessToken"), auth);
            case AuthMechanism.ClientCredentials:
                return new ImapLogin(ImapLoginKind.OAuth2ClientCredentials, userName, null,
                    auth?.ClientSecret ?? endpoint.ClientSecret ?? throw Missing(context, "auth.clientSecret"), auth);
            case AuthMechanism.GoogleServiceAccount:
                return new ImapLogin(ImapLoginKind.GoogleServiceAccount, userName, null,
                    auth?.KeyFile ?? throw Missing(context, "auth.keyFile"), auth);
        }

        if (password is null)
        {
            throw Missing(context, "password");
        }

        if (adminForm == AdminCredentialForm.ExchangeAdmin)
        {
            var parts = userName.Split('/');
            return new ImapLogin(ImapLoginKind.PasswordAsAdmin, $"{parts[0]}\\{parts[1]}", parts[2], password, auth);
        }

        return new ImapLogin(ImapLoginKind.Password, userName, null, password, auth);
    }

    private static bool LooksLikeExchangeAdmin(string userName)
    {
        var parts = userName.Split('/');
        return parts.Length == 3 && parts.All(p => p.Length > 0);
    }

    private static MigrationException Invalid(MailboxContext context, string text) =>
        new(Diagnose.ImapSettingInvalid(context.Endpoint.Location, context.Endpoint.Name, text));

    private static MigrationException Missing(MailboxContext context, string what) =>
        new(Diagnose.ImapCredentialsMissing(context.Mailbox.Location, what, context.Address, context.Endpoint.Name,
            hint: "give the mailbox a password, or the endpoint an auth block"));

    public string ResolveSecret(SecretReference secret)
    {
        try
        {
            return Context.ResolveSecret(secret);
        }
        catch (SecretUnavailableException ex)
        {
            throw new MigrationException(Diagnose.ImapSecretUnavailable(MailboxLocation, EndpointName, Address, ex.Message));
        }
    }
}
