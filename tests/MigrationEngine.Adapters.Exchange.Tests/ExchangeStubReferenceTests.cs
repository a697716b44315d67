using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Exchange.Tests;

/// <summary>
/// The stub module must be at least as strict as the real cmdlets. Reference/cmdlet-reference.json holds the Exchange Online parameter sets
/// of every cmdlet the engine calls, taken from the SYNTAX blocks of Microsoft's reference pages (Reference/extract-cmdlet-reference.py);
/// these tests check the stub's parameter names, sets, mandatory flags and switches against it, and that the stub refuses what the
/// service refuses.
/// </summary>
[Trait("Category", "Server")]
public sealed class ExchangeStubReferenceTests : IDisposable
{
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    private readonly ExchangeTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private static JsonElement Reference()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoPaths.Of("tests", "MigrationEngine.Adapters.Exchange.Tests", "Reference", "cmdlet-reference.json")));
        return document.RootElement.Clone();
    }

    public static TheoryData<string> Cmdlets()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in Reference().GetProperty("cmdlets").EnumerateObject())
        {
            data.Add(cmdlet.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Stub_parameter_sets_are_the_references(string name)
    {
        var reference = Reference().GetProperty("cmdlets").GetProperty(name);
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var shell = PowerShell.Create(runspace);
        shell.AddCommand("Import-Module").AddParameter("Name", Path.Combine(_bed.ModulePath, "ExchangeOnlineManagement")).AddStatement();
        shell.AddCommand("Get-Command").AddParameter("Name", name).AddParameter("Module", "ExchangeOnlineManagement");
        var command = (CommandInfo)Assert.Single(shell.Invoke()).BaseObject;

        var expected = reference.GetProperty("parameterSets").EnumerateObject().Where(s => s.Value.EnumerateObject().Any()).ToList();
        var actual = command.ParameterSets.Where(s => s.Parameters.Any(p => !CommonParameters.Contains(p.Name))).ToList();
        Assert.Equal(expected.Count, actual.Count);
        foreach (var set in expected)
        {
            var stubSet = expected.Count == 1 ? Assert.Single(actual) : Assert.Single(actual, s => s.Name == set.Name);
            var stubParameters = stubSet.Parameters.Where(p => !CommonParameters.Contains(p.Name)).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
            var expectedNames = set.Value.EnumerateObject().Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
            Assert.Equal(expectedNames, stubParameters.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList(), StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in set.Value.EnumerateObject())
            {
                var stub = stubParameters[parameter.Name];
                Assert.True(parameter.Value.GetProperty("mandatory").GetBoolean() == stub.IsMandatory, $"{name} -{parameter.Name} in set {set.Name}: mandatory");
                Assert.True((parameter.Value.GetProperty("type").GetString() == "SwitchParameter") == (stub.ParameterType == typeof(SwitchParameter)), $"{name} -{parameter.Name}: switch");
                Assert.True(parameter.Value.GetProperty("positional").GetBoolean() == stub.Position >= 0, $"{name} -{parameter.Name}: position");
            }
        }

        Assert.Equal(reference.GetProperty("supportsShouldProcess").GetBoolean(), command.Parameters.ContainsKey("WhatIf"));
    }

    private async Task<PowerShellSession> ConnectedAsync()
    {
        _bed.Seed();
        var session = new PowerShellSession(_bed.ModulePath, Serilog.Core.Logger.None);
        await session.ImportModuleAsync(CancellationToken.None);
        await session.InvokeAsync("Connect-ExchangeOnline", [("AppId", "app"), ("AccessToken", "t"), ("Organization", "contoso.onmicrosoft.com"), ("ShowBanner", false)], CancellationToken.None);
        return session;
    }

    [Fact]
    public async Task Stub_refuses_exchange_server_parameters_and_incomplete_parameter_sets_as_exchange_online_does()
    {
        using var session = await ConnectedAsync();
        await session.InvokeAsync("New-MigrationEndpoint", [("IMAP", true), ("Name", "imap1"), ("RemoteServer", "imap.contoso.com"), ("Port", 993), ("Security", "Ssl")], CancellationToken.None);
        var csv = System.Text.Encoding.UTF8.GetBytes("EmailAddress,UserName,Password\r\na@contoso.com,a,pw\r\n");

        // BadItemLimit and LargeItemLimit are Exchange Server parameters (the reference's "Applicable:" lines).
        var badItems = await Assert.ThrowsAsync<PowerShellCommandException>(() => session.InvokeAsync("New-MigrationBatch",
            [("Name", "b1"), ("SourceEndpoint", "imap1"), ("CSVData", csv), ("BadItemLimit", 10)], CancellationToken.None));
        Assert.Contains("'BadItemLimit'", badItems.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PowerShellCommandException>(() => session.InvokeAsync("Set-MigrationBatch", [("Identity", "b1"), ("LargeItemLimit", 10)], CancellationToken.None));

        // Test-MigrationServerAvailability's ExchangeOutlookAnywhere set makes -ExchangeServer and -RPCProxyServer mandatory.
        var proxy = await Assert.ThrowsAsync<PowerShellCommandException>(() => session.InvokeAsync("Test-MigrationServerAvailability",
            [("ExchangeOutlookAnywhere", true), ("ExchangeServer", "exch01.contoso.local"), ("Credentials", new PSCredential("admin", PowerShellSession.Secure("pw")))], CancellationToken.None));
        Assert.Contains("RPCProxyServer", proxy.Message, StringComparison.OrdinalIgnoreCase);

        // An endpoint without its type switch matches several sets: the binder cannot choose, as with the real cmdlet.
        await Assert.ThrowsAsync<PowerShellCommandException>(() => session.InvokeAsync("New-MigrationEndpoint", [("Name", "x"), ("RemoteServer", "imap.contoso.com")], CancellationToken.None));

        // Folder lists are for IMAP and Google Workspace batches, and only Microsoft's well-known tokens are tokens.
        var token = await Assert.ThrowsAsync<PowerShellCommandException>(() => session.InvokeAsync("New-MigrationBatch",
            [("Name", "b2"), ("SourceEndpoint", "imap1"), ("CSVData", csv), ("ExcludeFolders", new[] { "#SyncIssues#" })], CancellationToken.None));
        Assert.Contains("well-known", token.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stub_returns_1000_users_unless_asked_for_unlimited_and_gives_endpoints_the_service_defaults()
    {
        using var session = await ConnectedAsync();
        var endpoint = (await session.InvokeAsync("New-MigrationEndpoint", [("IMAP", true), ("Name", "imap1"), ("RemoteServer", "imap.contoso.com"), ("Port", 993)], CancellationToken.None)).Single();
        Assert.Equal("100", endpoint.Properties["MaxConcurrentMigrations"].Value?.ToString());
        Assert.Equal("20", endpoint.Properties["MaxConcurrentIncrementalSyncs"].Value?.ToString());
        var rows = string.Join("\r\n", Enumerable.Range(0, 1_200).Select(i => $"user{i:D4}@contoso.com,user{i},pw"));
        var csv = System.Text.Encoding.UTF8.GetBytes("EmailAddress,UserName,Password\r\n" + rows + "\r\n");
        await session.InvokeAsync("New-MigrationBatch", [("Name", "big"), ("SourceEndpoint", "imap1"), ("CSVData", csv)], CancellationToken.None);

        Assert.Equal(1_000, (await session.InvokeAsync("Get-MigrationUser", [("BatchId", "big")], CancellationToken.None)).Count);
        Assert.Equal(1_200, (await session.InvokeAsync("Get-MigrationUser", [("BatchId", "big"), ("ResultSize", "Unlimited")], CancellationToken.None)).Count);
        // Statuses are the reference's enumeration: another value does not bind.
        var status = await Assert.ThrowsAsync<PowerShellCommandException>(() => session.InvokeAsync("Get-MigrationUser", [("BatchId", "big"), ("Status", "Finished")], CancellationToken.None));
        Assert.Contains("Finished", status.Message, StringComparison.Ordinal);
    }
}
