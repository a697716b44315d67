using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>Builds the plan pieces the DAV adapter receives, as the Validate stage would.</summary>
public static class DavTestPlans
{
    public const string PlanFile = "/plans/dav-test.yaml";

    public static EndpointDefinition Endpoint(EndpointRole role, string url, string? authUser = null, string? authPassword = null, int? maxConnections = null, string? caFile = null) => new()
    {
        Name = role == EndpointRole.Source ? "src" : "dst",
        Role = role,
        Type = EndpointType.Dav,
        Location = new SourceLocation(PlanFile, role == EndpointRole.Source ? 7 : 15, 5),
        Url = url,
        AllowInsecure = url.StartsWith("http:", StringComparison.Ordinal),
        MaxConnections = maxConnections,
        CaFile = caFile,
        Auth = authUser is null && authPassword is null ? null : new AuthDefinition
        {
            Username = authUser,
            Password = authPassword is null ? null : SecretReference.Parse(authPassword),
        },
        CanonicalSettings = "{}",
    };

    public static MailboxContext Context(EndpointDefinition endpoint, string address, string? mailboxPassword = null, Serilog.ILogger? logger = null)
    {
        // A CA file outside the plan's folder is named by an allowed root, as a plan would have to.
        var plan = new PlanModel
        {
            Name = "dav-test",
            PlanFile = PlanFile,
            ContentHash = "0",
            AllowedRoots = endpoint.CaFile is { } caFile ? [Path.GetDirectoryName(caFile)!] : [],
        };
        var migration = new MigrationDefinition
        {
            Name = "pim",
            Type = MigrationType.Import,
            From = "src",
            To = "dst",
            Location = new SourceLocation(PlanFile, 30, 5),
            CanonicalSettings = "{}",
        };
        var mailbox = new MailboxEntry
        {
            SourceAddress = address,
            TargetAddress = address,
            Password = mailboxPassword is null ? null : SecretReference.Parse(mailboxPassword),
            Location = new SourceLocation(PlanFile, 24, 9),
        };
        return new MailboxContext(plan, migration, endpoint, mailbox, logger ?? Serilog.Core.Logger.None);
    }

    /// <summary>A source logging in with the mailbox's own password (the address is the user name).</summary>
    public static MailboxContext Source(RadicaleFixture radicale, DavUser user, string? url = null) =>
        Context(Endpoint(EndpointRole.Source, url ?? radicale.BaseUrl), user.Address, user.SecretReference);

    /// <summary>A target: the endpoint's auth block with {mailbox}.</summary>
    public static MailboxContext Target(RadicaleFixture radicale, DavUser user, string? url = null) =>
        Context(Endpoint(EndpointRole.Target, url ?? radicale.BaseUrl, "{mailbox}", user.SecretReference), user.Address);

    public static async Task<IPimSource> OpenSourceAsync(RadicaleFixture radicale, DavUser user) =>
        await new DavSourceFactory().OpenAsync(Source(radicale, user), CancellationToken.None);

    public static async Task<IPimTarget> OpenTargetAsync(RadicaleFixture radicale, DavUser user) =>
        await new DavTargetFactory().OpenAsync(Target(radicale, user), CancellationToken.None);
}
