using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Graph.Tests;

[Trait("Category", "Server")]
public sealed class GraphProvisioningTests
{
    private static readonly Guid ExchangeSku = Guid.Parse("4b9405b0-7788-4568-add1-99614e613b69");

    [Fact]
    public async Task MissingUsersAreCreatedLicensedAndTheirPasswordsGoOnlyToTheFile()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.Skus.Add(new EmulatorSku { SkuId = ExchangeSku, SkuPartNumber = "EXCHANGESTANDARD", Enabled = 5, Consumed = 1 });
        bed.Emulator.AddUser("existing@contoso.example");
        var passwordFile = Path.Combine(bed.Directory, "passwords.csv");
        var endpoint = bed.Endpoint(provision: new ProvisionDefinition
        {
            CreateUsers = true,
            UsageLocation = "DE",
            Licenses = ["exchangestandard"],
            PasswordFile = passwordFile,
        });

        var missing = await bed.Factory.CreateProvisioner(bed.Context(endpoint, "x@y").Plan, endpoint)
            .FindMissingUsersAsync(["existing@contoso.example", "new1@contoso.example", "new2@contoso.example"], default);
        Assert.Equal(["new1@contoso.example", "new2@contoso.example"], missing);

        await using (var first = await bed.Factory.OpenAsync(bed.Context(endpoint, "new1@contoso.example"), default))
        await using (var second = await bed.Factory.OpenAsync(bed.Context(endpoint, "new2@contoso.example"), default))
        {
            var folder = await first.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
            await first.AppendAsync(folder, [TestMail.Content(TestMail.Build("welcome"), "1")], default);
        }

        var created = new[] { bed.Emulator.FindUser("new1@contoso.example")!, bed.Emulator.FindUser("new2@contoso.example")! };
        Assert.All(created, u => Assert.Equal([ExchangeSku], u.Licenses));
        Assert.All(created, u => Assert.Equal("DE", u.UsageLocation));
        Assert.All(created, u => Assert.True(u.ForceChangePassword));
        Assert.Equal(3, bed.Emulator.Skus[0].Consumed);
        Assert.Single(bed.Emulator.MessagesIn("new1@contoso.example", "inbox"));

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        }

        var lines = await File.ReadAllLinesAsync(passwordFile);
        Assert.Equal(created.Select(u => $"{u.UserPrincipalName},{u.InitialPassword}").Order(), lines.Order());
        foreach (var user in created)
        {
            Assert.True(user.InitialPassword!.Length >= 16);
            Assert.All(bed.Logs.Lines, l => Assert.DoesNotContain(user.InitialPassword, l, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task NoFreeLicenceIsAClearError()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.Skus.Add(new EmulatorSku { SkuId = ExchangeSku, SkuPartNumber = "EXCHANGESTANDARD", Enabled = 2, Consumed = 2 });
        var endpoint = bed.Endpoint(provision: new ProvisionDefinition
        {
            CreateUsers = true,
            UsageLocation = "DE",
            Licenses = ["EXCHANGESTANDARD"],
            PasswordFile = Path.Combine(bed.Directory, "passwords.csv"),
        });

        var error = await Assert.ThrowsAsync<MigrationException>(() => bed.Factory.OpenAsync(bed.Context(endpoint, "late@contoso.example", line: 33), default));

        Assert.Equal("MIG0709", error.Diagnostic.Code);
        Assert.Equal("cannot license late@contoso.example: all 2 licences of EXCHANGESTANDARD are in use", error.Diagnostic.Message);
        Assert.Equal(33, error.Diagnostic.Line);
        Assert.Null(bed.Emulator.FindUser("late@contoso.example"));
    }

    [Fact]
    public async Task UnknownSkuListsWhatTheTenantHas()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.Skus.Add(new EmulatorSku { SkuId = ExchangeSku, SkuPartNumber = "EXCHANGESTANDARD", Enabled = 2 });
        var endpoint = bed.Endpoint(provision: new ProvisionDefinition
        {
            CreateUsers = true,
            UsageLocation = "DE",
            Licenses = ["SPE_E5"],
            PasswordFile = Path.Combine(bed.Directory, "passwords.csv"),
        });

        var error = await Assert.ThrowsAsync<MigrationException>(() => bed.Factory.OpenAsync(bed.Context(endpoint, "late@contoso.example"), default));

        Assert.Contains("'SPE_E5'", error.Message, StringComparison.Ordinal);
        Assert.Equal("the tenant has: EXCHANGESTANDARD", error.Diagnostic.Hint);
    }
}
