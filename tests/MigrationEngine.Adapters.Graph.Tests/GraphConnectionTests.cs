using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Adapters.Graph.Tests;

[Trait("Category", "Server")]
public sealed class GraphConnectionTests
{
    [Fact]
    public async Task MissingMailboxIsReportedWithAddressTenantAndPlanLine()
    {
        await using var bed = await GraphTestBed.StartAsync();
        var context = bed.Context(bed.Endpoint(), "ghost@contoso.example", line: 41);

        var error = await Assert.ThrowsAsync<MigrationException>(() => bed.Factory.OpenAsync(context, default));

        Assert.Equal("MIG0706", error.Diagnostic.Code);
        Assert.Equal($"target mailbox ghost@contoso.example does not exist in tenant {GraphEmulator.TenantId}", error.Diagnostic.Message);
        Assert.Equal(41, error.Diagnostic.Line);
        Assert.False(error.Transient);
    }

    [Fact]
    public async Task UserWithoutMailboxIsReportedWithTheLicenceHint()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("nolicence@contoso.example", withMailbox: false);

        var error = await Assert.ThrowsAsync<MigrationException>(() => bed.OpenAsync("nolicence@contoso.example"));

        Assert.Equal("MIG0720", error.Diagnostic.Code);
        Assert.Equal($"user nolicence@contoso.example exists in tenant {GraphEmulator.TenantId} but has no Exchange Online mailbox (MailboxNotEnabledForRESTAPI)",
            error.Diagnostic.Message);
        Assert.Contains("licence that includes Exchange Online", error.Diagnostic.Hint, StringComparison.Ordinal);
        Assert.False(error.Transient);
    }

    [Fact]
    public async Task MissingPermissionsAreNamed()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("erin@contoso.example");
        bed.Emulator.GrantedRoles.Remove("Mail-Advanced.ReadWrite.All");
        await using var target = await bed.OpenAsync("erin@contoso.example");
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);

        var importError = await Assert.ThrowsAsync<MigrationException>(() =>
            target.AppendAsync(folder, [TestMail.Content(TestMail.Build("x"), "1")], default));
        Assert.Equal("MIG0707", importError.Diagnostic.Code);
        Assert.Contains("grant the application permission Mail-Advanced.ReadWrite.All", importError.Message, StringComparison.Ordinal);
        Assert.Contains(GraphEmulator.ClientId, importError.Message, StringComparison.Ordinal);

        bed.Emulator.GrantedRoles.Remove("Mail.ReadWrite");
        var openError = await Assert.ThrowsAsync<MigrationException>(() => bed.OpenAsync("erin@contoso.example"));
        Assert.Contains("grant the application permission Mail.ReadWrite", openError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongSecretFailsAuthenticationWithoutShowingTheSecret()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("finn@contoso.example");
        const string wrong = "not-the-secret-9f8e7d";
        await File.WriteAllTextAsync(Path.Combine(bed.Directory, "wrong.txt"), wrong);

        var error = await Assert.ThrowsAsync<MigrationException>(() =>
            bed.Factory.OpenAsync(bed.Context(bed.Endpoint(secretFile: "wrong.txt"), "finn@contoso.example"), default));

        Assert.Equal("MIG0704", error.Diagnostic.Code);
        Assert.Contains("AADSTS7000215", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(GraphEmulator.ClientSecret, error.ToString(), StringComparison.Ordinal);
        Assert.All(bed.Logs.Lines, l => Assert.DoesNotContain(wrong, l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingSecretFileIsAClearConfigurationError()
    {
        await using var bed = await GraphTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<MigrationException>(() =>
            bed.Factory.OpenAsync(bed.Context(bed.Endpoint(secretFile: "absent.txt"), "x@contoso.example"), default));

        Assert.Equal("MIG0703", error.Diagnostic.Code);
        Assert.Contains("absent.txt", error.Message, StringComparison.Ordinal);
        Assert.Equal(12, error.Diagnostic.Line);
    }

    [Fact]
    public async Task CertificateCredentialSignsAnAssertionTheTokenServiceAccepts()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("gil@contoso.example");
        var (certificate, pem) = EmulatorCertificates.CreateClientCertificate();
        bed.Emulator.ClientCertificate = certificate;
        await File.WriteAllTextAsync(Path.Combine(bed.Directory, "app.pem"), pem);
        var endpoint = bed.Endpoint(certificate: SecretReference.Parse("file:app.pem"));

        await using var target = await bed.Factory.OpenAsync(bed.Context(endpoint, "gil@contoso.example"), default);

        Assert.NotNull(await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default));
        Assert.Equal(1, bed.Emulator.TokenRequests);
    }

    [Fact]
    public async Task CertificateFromBase64EnvironmentVariableIsAccepted()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("ivy@contoso.example");
        var (certificate, pem) = EmulatorCertificates.CreateClientCertificate();
        bed.Emulator.ClientCertificate = certificate;
        var variable = "GRAPH_TEST_CERT_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem)));
        try
        {
            var endpoint = bed.Endpoint(certificate: SecretReference.Parse("env:" + variable));
            await using var target = await bed.Factory.OpenAsync(bed.Context(endpoint, "ivy@contoso.example"), default);
            Assert.Equal(1, bed.Emulator.TokenRequests);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task ThrottlingThatOutlastsTheRetriesFailsTheMailboxAsTransientWithRetryAfter()
    {
        await using var bed = await GraphTestBed.StartAsync(GraphTestBed.FastOptions with { MaxRetries = 1 });
        bed.Emulator.AddUser("jon@contoso.example");
        await using var target = await bed.OpenAsync("jon@contoso.example");
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        bed.Emulator.AddFault(FaultKind.Throttle429, count: 5, pathContains: "importMime", retryAfterSeconds: 1);

        var error = await Assert.ThrowsAsync<MigrationException>(() => target.AppendAsync(folder, [TestMail.Content(TestMail.Build("x"), "1")], default));

        Assert.True(error.Transient);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.Contains("ApplicationThrottled", error.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Emulator.MessagesIn("jon@contoso.example", "inbox"));
    }

    [Fact]
    public async Task UntrustedServerCertificateIsRefusedWithoutCaFile()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("hal@contoso.example");
        var endpoint = bed.Endpoint() with { CaFile = null };

        var error = await Assert.ThrowsAsync<MigrationException>(() => bed.Factory.OpenAsync(bed.Context(endpoint, "hal@contoso.example"), default));

        Assert.True(error.Diagnostic.Code is "MIG0704" or "MIG0705", error.Message);
        Assert.Equal(0, bed.Emulator.GraphRequests);
    }

    [Theory]
    [InlineData(null, "https://graph.microsoft.com/v1.0", "https://login.microsoftonline.com/")]
    [InlineData(MicrosoftCloud.Global, "https://graph.microsoft.com/v1.0", "https://login.microsoftonline.com/")]
    [InlineData(MicrosoftCloud.UsGov, "https://graph.microsoft.us/v1.0", "https://login.microsoftonline.us/")]
    [InlineData(MicrosoftCloud.UsGovDod, "https://dod-graph.microsoft.us/v1.0", "https://login.microsoftonline.us/")]
    [InlineData(MicrosoftCloud.China, "https://microsoftgraph.chinacloudapi.cn/v1.0", "https://login.chinacloudapi.cn/")]
    public void CloudsMapToTheirServiceRootsAndAuthorities(MicrosoftCloud? name, string graph, string authority)
    {
        var cloud = GraphCloud.Find(name)!;
        Assert.Equal(graph, cloud.GraphBaseUrl);
        Assert.Equal(authority, cloud.AuthorityHost);
        Assert.Equal(new Uri(graph).GetLeftPart(UriPartial.Authority) + "/.default", cloud.Scope);
        Assert.Equal(new Uri(graph).GetLeftPart(UriPartial.Authority) + "/beta", GraphCloud.BetaUrlFor(graph));
    }

    [Fact]
    public async Task UnknownCloudIsAConfigurationError()
    {
        await using var bed = await GraphTestBed.StartAsync();
        // Only a plan with errors binds a cloud the schema refused, and such a plan yields no model: the adapter still refuses it.
        var endpoint = bed.Endpoint() with { Cloud = MicrosoftCloud.Unknown, Endpoint = null };

        var error = await Assert.ThrowsAsync<MigrationException>(() => bed.Factory.OpenAsync(bed.Context(endpoint, "x@contoso.example"), default));

        Assert.Equal("MIG0702", error.Diagnostic.Code);
        Assert.Contains("the cloud is not one of global, usgov, usgovdod, china", error.Message, StringComparison.Ordinal);
    }
}
