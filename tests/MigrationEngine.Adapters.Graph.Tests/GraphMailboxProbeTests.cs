using MigrationEngine.Core.Checking;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// <c>migrate check</c>'s Graph side against the emulator, through the real SDK: a user with a mailbox, no such user, a
/// user without a mailbox (404 on its inbox), a user that apply would create (and check does not), a refused token.
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphMailboxProbeTests
{
    [Fact]
    public async Task A_user_with_a_mailbox_is_ok()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("ok@contoso.test");

        var result = await bed.Factory.ProbeAsync(bed.Context(bed.Endpoint(), "ok@contoso.test"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Null(result.Diagnostic);
    }

    [Fact]
    public async Task A_missing_user_is_told_from_a_user_without_a_mailbox()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("nomailbox@contoso.test", withMailbox: false);

        var missing = await bed.Factory.ProbeAsync(bed.Context(bed.Endpoint(), "nobody@contoso.test", line: 21), CancellationToken.None);
        var unlicensed = await bed.Factory.ProbeAsync(bed.Context(bed.Endpoint(), "nomailbox@contoso.test", line: 22), CancellationToken.None);

        Assert.Equal(ProbeOutcome.MailboxMissing, missing.Outcome);
        Assert.Equal("MIG0706", missing.Diagnostic!.Code);
        Assert.Equal(21, missing.Diagnostic.Line);
        Assert.Contains("nobody@contoso.test", missing.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(ProbeOutcome.NoMailbox, unlicensed.Outcome);
        Assert.Equal(Core.Diagnostics.DiagnosticCatalog.GraphMailboxNotEnabled.Code, unlicensed.Diagnostic!.Code);
        Assert.Equal(22, unlicensed.Diagnostic.Line);
    }

    [Fact]
    public async Task A_user_apply_would_create_is_reported_and_not_created()
    {
        await using var bed = await GraphTestBed.StartAsync();
        var endpoint = bed.Endpoint(provision: new ProvisionDefinition { CreateUsers = true, PasswordFile = Path.Combine(bed.Directory, "passwords.txt") });

        var result = await bed.Factory.ProbeAsync(bed.Context(endpoint, "new.hire@contoso.test"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.CreatedByApply, result.Outcome);
        Assert.Null(bed.Emulator.FindUser("new.hire@contoso.test"));
        Assert.False(File.Exists(Path.Combine(bed.Directory, "passwords.txt")));
    }

    [Fact]
    public async Task A_refused_client_secret_is_a_refused_login()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("ok@contoso.test");
        await File.WriteAllTextAsync(Path.Combine(bed.Directory, "wrong-secret.txt"), "not-the-secret\n");

        var failure = await Assert.ThrowsAsync<MigrationException>(() =>
            bed.Factory.ProbeAsync(bed.Context(bed.Endpoint(secretFile: "wrong-secret.txt"), "ok@contoso.test"), CancellationToken.None));

        Assert.Equal(ProbeOutcome.LoginRefused, MailboxChecker.Classify(failure, failure.Diagnostic));
        Assert.DoesNotContain("not-the-secret", failure.Diagnostic.ToMsBuildString(), StringComparison.Ordinal);
    }
}
