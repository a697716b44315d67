using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>Licensing users that an Exchange-native migration created (cutover, staged, Google Workspace), against the Graph emulator.</summary>
[Trait("Category", "Server")]
public sealed class GraphLicensingTests
{
    private static readonly Guid ExchangeSku = Guid.Parse("4b9405b0-7788-4568-add1-99614e613b69");

    [Fact]
    public async Task A_user_a_migration_batch_created_is_licensed_once_with_the_plans_usage_location()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.Skus.Add(new EmulatorSku { SkuId = ExchangeSku, SkuPartNumber = "EXCHANGESTANDARD", Enabled = 1, Consumed = 0 });
        bed.Emulator.AddUser("cutover1@contoso.example", withMailbox: false);
        var endpoint = bed.Endpoint(provision: new ProvisionDefinition { UsageLocation = "FR", Licenses = ["EXCHANGESTANDARD"] });
        var context = bed.Context(endpoint, "cutover1@contoso.example");

        Assert.Equal(1, await bed.Factory.LicenseAsync(context.Plan, endpoint, [context.Mailbox], default));
        // Licensed already: nothing to do, even though no unit is left.
        Assert.Equal(0, await bed.Factory.LicenseAsync(context.Plan, endpoint, [context.Mailbox], default));

        var user = bed.Emulator.FindUser("cutover1@contoso.example")!;
        Assert.Equal([ExchangeSku], user.Licenses);
        Assert.Equal("FR", user.UsageLocation);
        Assert.Equal(1, bed.Emulator.Skus[0].Consumed);
    }

    [Fact]
    public async Task A_user_the_batch_has_not_created_yet_is_a_clear_error()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.Skus.Add(new EmulatorSku { SkuId = ExchangeSku, SkuPartNumber = "EXCHANGESTANDARD", Enabled = 5, Consumed = 0 });
        var endpoint = bed.Endpoint(provision: new ProvisionDefinition { UsageLocation = "FR", Licenses = ["EXCHANGESTANDARD"] });
        var context = bed.Context(endpoint, "later@contoso.example");

        var error = await Assert.ThrowsAsync<MigrationEngine.Core.Execution.MigrationException>(() => bed.Factory.LicenseAsync(context.Plan, endpoint, [context.Mailbox], default));

        Assert.Contains("does not exist yet", error.Diagnostic.Message, StringComparison.Ordinal);
    }
}
