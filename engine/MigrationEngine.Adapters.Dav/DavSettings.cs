using System.Security.Cryptography.X509Certificates;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Adapters.Dav;

/// <summary>
/// Connection settings of one mailbox on one dav endpoint, resolved from the plan. The password stays a reference until
/// a request needs it; <see cref="ToString"/> and every message show the user name only.
/// </summary>
internal sealed class DavSettings
{
    public const int DefaultMaxConnections = 4;

    public required Uri BaseUrl { get; init; }
    public required string UserName { get; init; }
    public required SecretReference Password { get; init; }
    public X509Certificate2Collection? TrustedAuthorities { get; init; }
    public required int MaxConnections { get; init; }
    public required TimeSpan RequestTimeout { get; init; }
    public required MailboxContext Context { get; init; }

    public string Address => Context.Address;
    public string EndpointName => Context.Endpoint.Name;

    /// <summary>Scheme, host and port: what redirects must stay within and what the connection cap is shared by.</summary>
    public string Origin => BaseUrl.GetLeftPart(UriPartial.Authority);

    public override string ToString() => $"{UserName} at {Origin}";

    public static DavSettings From(MailboxContext context)
    {
        var endpoint = context.Endpoint;
        if (DavEndpointUrl.Problem(endpoint.Url, endpoint.AllowInsecure, out var url) is { } problem)
        {
            throw new MigrationException(Diagnose.DavSettingInvalid(endpoint.Location, endpoint.Name, problem, hint: "see docs/dav.md"));
        }

        var (userName, password) = ResolveLogin(context);
        return new DavSettings
        {
            BaseUrl = url!,
            UserName = userName,
            Password = password,
            TrustedAuthorities = TrustedCaFile.Load(context.Plan, endpoint),
            MaxConnections = endpoint.MaxConnections ?? DefaultMaxConnections,
            RequestTimeout = TimeSpan.FromSeconds(endpoint.Timeouts.CommandSeconds),
            Context = context,
        };
    }

    /// <summary>
    /// A DAV user is the mailbox: on the source side the mailbox entry's own username and password win (as for IMAP);
    /// otherwise the endpoint's auth block, whose username may contain {mailbox}; without any username, the address.
    /// </summary>
    private static (string UserName, SecretReference Password) ResolveLogin(MailboxContext context)
    {
        var endpoint = context.Endpoint;
        var mailbox = context.Mailbox;
        var auth = endpoint.Auth;
        string? userName = null;
        var password = auth?.Password;
        if (endpoint.Role == EndpointRole.Source && (mailbox.Username is not null || mailbox.Password is not null))
        {
            userName = mailbox.Username;
            password = mailbox.Password ?? password;
        }
        else if (auth?.Username is not null)
        {
            userName = auth.Username.Replace("{mailbox}", context.Address, StringComparison.OrdinalIgnoreCase);
        }

        if (password is null)
        {
            throw new MigrationException(Diagnose.DavCredentialsMissing(mailbox.Location, context.Address, endpoint.Name,
                hint: "give the mailbox a password, or the endpoint an auth block with password: env:NAME or file:PATH"));
        }

        return (userName ?? context.Address, password);
    }

    /// <summary>The password, resolved now; a missing variable or file is MIG1681 naming the endpoint, never the value.</summary>
    public string ResolvePassword()
    {
        try
        {
            return Context.ResolveSecret(Password);
        }
        catch (SecretUnavailableException ex)
        {
            throw new MigrationException(Diagnose.DavSecretUnavailable(Context.Mailbox.Location, EndpointName, Address, ex.Message));
        }
    }
}
