using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>Builds the plan pieces an adapter receives, as the Validate stage would.</summary>
public static class TestPlans
{
    public const string PlanFile = "/plans/imap-test.yaml";

    public static EndpointDefinition Endpoint(EndpointRole role, int port, string tls = "none", string? caFile = null,
        string? authUser = null, string? authPassword = null, string? preset = null) => new()
    {
        Name = role == EndpointRole.Source ? "src" : "dst",
        Role = role,
        Type = EndpointType.Imap,
        Location = new SourceLocation(PlanFile, role == EndpointRole.Source ? 7 : 15, 5),
        Host = "127.0.0.1",
        Port = port,
        Tls = PlanVocabulary.TlsModes.Parse(tls),
        AllowInsecure = PlanVocabulary.TlsModes.Parse(tls) == TlsMode.None,
        CaFile = caFile,
        Preset = PlanVocabulary.Presets.Parse(preset),
        Auth = authUser is null && authPassword is null ? null : new AuthDefinition
        {
            Username = authUser,
            Password = authPassword is null ? null : SecretReference.Parse(authPassword),
        },
        CanonicalSettings = "{}",
    };

    public static MailboxContext Context(EndpointDefinition endpoint, string sourceAddress, string targetAddress,
        string? mailboxUser = null, string? mailboxPassword = null)
    {
        // A CA file outside the plan's folder is named by an allowed root, as a plan would have to.
        var plan = new PlanModel
        {
            Name = "imap-test",
            PlanFile = PlanFile,
            ContentHash = "0",
            AllowedRoots = endpoint.CaFile is { } caFile ? [Path.GetDirectoryName(caFile)!] : [],
        };
        var migration = new MigrationDefinition
        {
            Name = "copy",
            Type = MigrationType.Imap,
            From = "src",
            To = "dst",
            Location = new SourceLocation(PlanFile, 30, 5),
            CanonicalSettings = "{}",
        };
        var mailbox = new MailboxEntry
        {
            SourceAddress = sourceAddress,
            TargetAddress = targetAddress,
            Username = mailboxUser,
            AdminForm = mailboxUser?.Contains('*', StringComparison.Ordinal) == true ? AdminCredentialForm.MasterUser : AdminCredentialForm.None,
            Password = mailboxPassword is null ? null : SecretReference.Parse(mailboxPassword),
            Location = new SourceLocation(PlanFile, 24, 9),
        };
        return new MailboxContext(plan, migration, endpoint, mailbox, Serilog.Core.Logger.None);
    }

    /// <summary>A source context logging in as the user itself, with the mailbox's own password.</summary>
    public static MailboxContext Source(DovecotFixture dovecot, TestUser user, int? port = null) =>
        Context(Endpoint(EndpointRole.Source, port ?? dovecot.PlainPort), user.Address, user.Address, null, user.SecretReference);

    /// <summary>A target context: the endpoint's auth block with {mailbox}.</summary>
    public static MailboxContext Target(DovecotFixture dovecot, TestUser user, int? port = null) =>
        Context(Endpoint(EndpointRole.Target, port ?? dovecot.PlainPort, authUser: "{mailbox}", authPassword: user.SecretReference), user.Address, user.Address);
}
