using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// Target users are found by id or userPrincipalName (GET /users/{id}), then by mail or proxy address through List users
/// with $filter, as Microsoft documents it (any() on proxyAddresses, ConsistencyLevel: eventual and $count for the
/// advanced query); a user without a mailbox whose licences the plan names is licensed on the next apply.
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphUserLookupTests
{
    private static readonly Guid ExchangeSku = Guid.Parse("4b9405b0-7788-4568-add1-99614e613b69");

    [Fact]
    public async Task AnAddressThatIsOnlyAProxyAddressFindsItsUser()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("maria.lopez@contoso.example", withMailbox: true, "m.lopez@contoso.example");

        await using (var target = await bed.OpenAsync("M.Lopez@contoso.example"))
        {
            var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
            await target.AppendAsync(folder, [TestMail.Content(TestMail.Build("to the alias"), "1")], default);
        }

        Assert.Equal(1, bed.Emulator.MessageCount("maria.lopez@contoso.example"));
        Assert.Equal(1, bed.Emulator.UserQueries);
        Assert.Contains(bed.Emulator.RequestLog, l => l.StartsWith("GET /v1.0/users?", StringComparison.Ordinal)
            && l.Contains("proxyAddresses", StringComparison.Ordinal) && l.Contains("$count=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAddressNoUserHasIsStillAMissingMailbox()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("someone@contoso.example");

        var error = await Assert.ThrowsAsync<MigrationException>(() => bed.OpenAsync("nobody@contoso.example"));

        Assert.Equal("MIG0706", error.Diagnostic.Code);
        Assert.Equal(1, bed.Emulator.UserQueries);
    }

    [Fact]
    public async Task EmulatorRefusesUserFiltersTheDirectoryRefuses()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("a@contoso.example", withMailbox: true, "b@contoso.example");
        using var client = await bed.Emulator.RawClientAsync();

        // A multi-valued property needs any().
        await AssertRefused(client, "/v1.0/users?$filter=proxyAddresses eq 'smtp:b@contoso.example'", null, "Request_UnsupportedQuery");
        // $count needs ConsistencyLevel: eventual.
        await AssertRefused(client, "/v1.0/users?$filter=mail eq 'a@contoso.example'&$count=true", null, "Request_BadRequest");
        // Two properties joined by or, and endsWith, are advanced queries.
        await AssertRefused(client, "/v1.0/users?$filter=mail eq 'b@contoso.example' or proxyAddresses/any(p:p eq 'smtp:b@contoso.example')", null, "Request_UnsupportedQuery");
        await AssertRefused(client, "/v1.0/users?$filter=endsWith(mail,'@contoso.example')", "eventual", "Request_UnsupportedQuery");
        await AssertRefused(client, "/v1.0/users?$filter=displayName eq 'a'", "eventual", "Request_UnsupportedQuery");

        using var request = new HttpRequestMessage(HttpMethod.Get,
            "/v1.0/users?$filter=mail eq 'b@contoso.example' or proxyAddresses/any(p:p eq 'SMTP:B@contoso.example')&$count=true");
        request.Headers.Add("ConsistencyLevel", "eventual");
        using var response = await client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(1, body["@odata.count"]!.GetValue<int>());
        Assert.Equal("a@contoso.example", body["value"]![0]!["userPrincipalName"]!.GetValue<string>());
    }

    [Fact]
    public async Task AUserWithoutAMailboxIsLicensedByTheNextApplyWhenThePlanNamesLicences()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.Skus.Add(new EmulatorSku { SkuId = ExchangeSku, SkuPartNumber = "EXCHANGESTANDARD", Enabled = 1, Consumed = 0 });
        bed.Emulator.AddUser("late@contoso.example", withMailbox: false);

        // Without licences in the plan: the coded diagnostic with the licence hint, not transient within the run.
        var error = await Assert.ThrowsAsync<MigrationException>(() => bed.OpenAsync("late@contoso.example"));
        Assert.Equal("MIG0720", error.Diagnostic.Code);

        // With them (the next apply of a plan that names licences): licensed, then the mailbox is used.
        var endpoint = bed.Endpoint(provision: new ProvisionDefinition { UsageLocation = "NL", Licenses = ["EXCHANGESTANDARD"] });
        await using (var target = await bed.Factory.OpenAsync(bed.Context(endpoint, "late@contoso.example"), default))
        {
            var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
            await target.AppendAsync(folder, [TestMail.Content(TestMail.Build("finally"), "1")], default);
        }

        Assert.Equal([ExchangeSku], bed.Emulator.FindUser("late@contoso.example")!.Licenses);
        Assert.Equal(1, bed.Emulator.MessageCount("late@contoso.example"));
        Assert.Contains(bed.Logs.Lines, l => l.Contains("MIG1243", StringComparison.Ordinal));
    }

    private static async Task AssertRefused(HttpClient client, string url, string? consistency, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (consistency is not null)
        {
            request.Headers.Add("ConsistencyLevel", consistency);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(400, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
    }
}
