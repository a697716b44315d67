using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Exchange.Tests;

[Trait("Category", "Server")]
public sealed class ExchangeExecutorTests : IDisposable
{
    private readonly ExchangeTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Cutover_example_creates_endpoint_and_batch_and_a_second_apply_only_reads()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com", "alan.turing@fabrikam.com", "grace.hopper@fabrikam.com"]);
        var plan = _bed.LoadPlan("cutover.yaml");

        var first = await _bed.ApplyAsync(plan, _bed.Options());

        ExchangeTestBed.AssertSucceeded(first);
        var tenant = _bed.Tenant();
        var endpoint = tenant["Endpoints"]!["cutover-exchange-2013-onprem"]!;
        Assert.Equal("ExchangeOutlookAnywhere", endpoint["EndpointType"]!.GetValue<string>());
        // The mailbox server and the Outlook Anywhere host are different machines, as in Microsoft's cutover article.
        Assert.Equal("exch2013.fabrikam.local", endpoint["ExchangeServer"]!.GetValue<string>());
        Assert.Equal("mail.fabrikam.com", endpoint["RpcProxyServer"]!.GetValue<string>());
        // Concurrency is left to the service's defaults (100 and 20) when the plan does not set it.
        Assert.Equal("100", endpoint["MaxConcurrentMigrations"]!.GetValue<string>());
        Assert.Equal("20", endpoint["MaxConcurrentIncrementalSyncs"]!.GetValue<string>());
        Assert.DoesNotContain(_bed.CallParameters("New-MigrationEndpoint").Single(), p => p.StartsWith("MaxConcurrent", StringComparison.Ordinal));
        Assert.Equal("FABRIKAM\\migration-admin", endpoint["UserName"]!.GetValue<string>());
        var batch = tenant["Batches"]!["cutover-exchange-2013-cutover"]!;
        Assert.Equal("Synced", batch["Status"]!.GetValue<string>());
        // -BadItemLimit/-LargeItemLimit are Exchange Server parameters: never sent to Exchange Online.
        Assert.DoesNotContain(_bed.CallParameters("New-MigrationBatch").Single(), p => p is "BadItemLimit" or "LargeItemLimit");
        Assert.True(_bed.Tenant()["SkipLoadingFormatData"]!.GetValue<bool>());
        Assert.Equal("fabrikam.onmicrosoft.com", tenant["Organization"]!.GetValue<string>());
        Assert.Equal(["Connect-ExchangeOnline", "Test-MigrationServerAvailability", "New-MigrationEndpoint", "New-MigrationBatch"],
            _bed.Calls().Where(c => !c.StartsWith("Get-", StringComparison.Ordinal)).Take(4));
        Assert.DoesNotContain("Start-MigrationBatch", _bed.Calls());
        Assert.DoesNotContain("Complete-MigrationBatch", _bed.Calls());

        var steps = await _bed.StepsAsync(plan.Name);
        Assert.All(steps.Values, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        using var start = JsonDocument.Parse(steps["start-batch/cutover"].ResultJson!);
        Assert.Equal("Synced", start.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, start.RootElement.GetProperty("users").GetArrayLength());
        Assert.Equal("Perfect", start.RootElement.GetProperty("users")[0].GetProperty("data_consistency_score").GetString());
        Assert.Contains("left-synced", steps["complete-batch/cutover"].ResultJson!, StringComparison.Ordinal);

        _bed.ClearCalls();
        var before = _bed.TenantSnapshot();
        var second = await _bed.ApplyAsync(plan, _bed.Options());

        ExchangeTestBed.AssertSucceeded(second);
        Assert.Empty(_bed.MutatingCalls());
        Assert.Contains("Get-MigrationEndpoint", _bed.Calls());
        Assert.Contains("Get-MigrationBatch", _bed.Calls());
        Assert.Equal(before, _bed.TenantSnapshot());
        _bed.AssertNoSecretLeaked(_bed.LogLines.Concat(steps.Values.Select(s => s.ResultJson ?? string.Empty)).Append(File.ReadAllText(_bed.StateFile)));
    }

    [Fact]
    public async Task Staged_example_makes_two_batches_with_microsofts_csv_and_starts_the_scheduled_one()
    {
        var plan = _bed.LoadPlan("staged.yaml");

        var summary = await _bed.ApplyAsync(plan, _bed.Options(organization: "tailspintoys.onmicrosoft.com"));

        ExchangeTestBed.AssertSucceeded(summary);
        var tenant = _bed.Tenant();
        Assert.Single(tenant["Endpoints"]!.AsObject());
        Assert.Equal("TAILSPIN\\migration-admin", tenant["Endpoints"]!["staged-exchange-2007-exchange2007"]!["UserName"]!.GetValue<string>());
        Assert.Equal("Synced", tenant["Batches"]!["staged-exchange-2007-batch1"]!["Status"]!.GetValue<string>());
        var batch2 = tenant["Batches"]!["staged-exchange-2007-batch2"]!;
        Assert.Equal("Synced", batch2["Status"]!.GetValue<string>());
        Assert.Equal("2026-03-01T18:00:00Z", batch2["StartAfter"]!.GetValue<string>());
        Assert.Contains("Start-MigrationBatch", _bed.Calls());
        Assert.Equal(["dan.jump@tailspintoys.com", "kim.akers@tailspintoys.com", "pat.coleman@tailspintoys.com", "toni.poe@tailspintoys.com"],
            tenant["Users"]!.AsObject().Select(u => u.Key).Order(StringComparer.Ordinal));
        _bed.AssertNoSecretLeaked(_bed.LogLines.Append(File.ReadAllText(_bed.StateFile)));
    }

    [Fact]
    public async Task Hybrid_example_uses_a_client_secret_token_and_retries_failed_users_on_the_next_apply()
    {
        _bed.Seed(failOnce: ["sam.lee@litware.com"]);
        var plan = _bed.LoadPlan("hybrid.yaml");

        var first = await _bed.ApplyAsync(plan, _bed.Options());

        Assert.True(_bed.TokenRequests > 0);
        var failure = Assert.Single(first.Diagnostics, d => d.IsError);
        Assert.Equal("MIG1107", failure.Code);
        Assert.Contains("sam.lee@litware.com", failure.Message, StringComparison.Ordinal);
        var tenant = _bed.Tenant();
        Assert.Equal("ExchangeRemoteMove", tenant["Endpoints"]!["hybrid-exchange-2016-onprem"]!["EndpointType"]!.GetValue<string>());
        Assert.Equal("litware.mail.onmicrosoft.com", tenant["Batches"]!["hybrid-exchange-2016-wave1"]!["TargetDeliveryDomain"]!.GetValue<string>());
        Assert.Equal(StepStatus.Failed, (await _bed.StepsAsync(plan.Name))["start-batch/wave1"].Status);

        _bed.ClearCalls();
        var second = await _bed.ApplyAsync(plan, _bed.Options());

        ExchangeTestBed.AssertSucceeded(second);
        Assert.Contains("Start-MigrationUser", _bed.Calls());
        Assert.DoesNotContain("New-MigrationBatch", _bed.Calls());
        // completeAfter has passed: the batch is completed, then removed (exchange.removeWhenCompleted).
        Assert.Contains("Complete-MigrationBatch", _bed.Calls());
        Assert.Contains("Remove-MigrationBatch", _bed.Calls());
        Assert.Contains("\"completed\":true", (await _bed.StepsAsync(plan.Name))["complete-batch/wave1"].ResultJson!, StringComparison.Ordinal);
        // Archives move with the primary mailbox: the remote move CSV's MailboxType column.
        Assert.All(_bed.Tenant()["Users"]!.AsObject(), u => Assert.Equal("PrimaryAndArchive", u.Value!["MailboxType"]!.GetValue<string>()));
        _bed.AssertNoSecretLeaked(_bed.LogLines.Append(File.ReadAllText(_bed.StateFile)));
    }

    [Fact]
    public async Task Imap_through_exchange_excludes_folders_with_well_known_tokens_and_sends_user_roots()
    {
        var plan = _bed.LoadPlan("exchange-imap.yaml");

        var summary = await _bed.ApplyAsync(plan, _bed.Options(organization: "adatum.onmicrosoft.com"));

        ExchangeTestBed.AssertSucceeded(summary);
        var tenant = _bed.Tenant();
        var endpoint = tenant["Endpoints"]!["imap-via-exchange-service-dovecot"]!;
        Assert.Equal("IMAP", endpoint["EndpointType"]!.GetValue<string>());
        Assert.Equal("Ssl", endpoint["Security"]!.GetValue<string>());
        Assert.Equal(993, endpoint["Port"]!.GetValue<int>());
        var batch = tenant["Batches"]!["imap-via-exchange-service-adatum-imap"]!;
        Assert.Equal(["#JunkEmail#", "Junk", "#DeletedItems#", "Trash"], batch["ExcludeFolders"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(["admin@adatum.com"], batch["NotificationEmails"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(3, tenant["Users"]!.AsObject().Count);
    }

    [Fact]
    public async Task A_changed_plan_changes_only_what_differs()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com"]);
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), _bed.Options()));
        var path = Path.Combine(_bed.PlanFolder, "cutover.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("it-team@fabrikam.com", "helpdesk@fabrikam.com", StringComparison.Ordinal));
        _bed.ClearCalls();

        var summary = await _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), _bed.Options());

        ExchangeTestBed.AssertSucceeded(summary);
        Assert.Equal(["Set-MigrationBatch"], _bed.MutatingCalls());
        var batch = _bed.Tenant()["Batches"]!["cutover-exchange-2013-cutover"]!;
        Assert.Equal(["helpdesk@fabrikam.com"], batch["NotificationEmails"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task A_setting_that_cannot_change_on_an_existing_batch_is_reported_not_applied()
    {
        var path = Path.Combine(_bed.PlanFolder, "hybrid.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("        removeWhenCompleted: true\n", string.Empty, StringComparison.Ordinal));
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(_bed.LoadPlan("hybrid.yaml"), _bed.Options()));
        File.WriteAllText(path, File.ReadAllText(path).Replace("targetDeliveryDomain: litware.mail.onmicrosoft.com", "targetDeliveryDomain: litware2.mail.onmicrosoft.com", StringComparison.Ordinal));
        _bed.ClearCalls();

        var summary = await _bed.ApplyAsync(_bed.LoadPlan("hybrid.yaml"), _bed.Options(organization: "litware.onmicrosoft.com"));

        var error = Assert.Single(summary.Diagnostics, d => d.IsError);
        Assert.Equal("MIG1105", error.Code);
        Assert.Contains("TargetDeliveryDomain", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("hybrid.yaml", error.File, StringComparison.Ordinal);
        Assert.True(error.Line > 0);
        Assert.Empty(_bed.MutatingCalls());
    }

    [Fact]
    public async Task Without_the_module_apply_says_how_to_install_it()
    {
        var plan = _bed.LoadPlan("cutover.yaml");
        var empty = Directory.CreateDirectory(Path.Combine(_bed.Root, "no-modules")).FullName;
        // The stub folder may already be on PSModulePath from another test in this process: hide it for this check.
        var saved = Environment.GetEnvironmentVariable("PSModulePath");
        Environment.SetEnvironmentVariable("PSModulePath", string.Join(Path.PathSeparator, (saved ?? string.Empty).Split(Path.PathSeparator).Where(p => !p.Contains("StubModule", StringComparison.Ordinal))));
        try
        {
            var summary = await _bed.ApplyAsync(plan, _bed.Options() with { ModulePath = empty });

            var error = Assert.Single(summary.Diagnostics, d => d.IsError);
            Assert.Equal("MIG1101", error.Code);
            Assert.Contains("Install-Module ExchangeOnlineManagement -Scope CurrentUser", error.Hint, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PSModulePath", saved);
        }
    }

    [Fact]
    public async Task Stub_answers_like_exchange_online_for_an_existing_name_an_unknown_parameter_and_an_unknown_csv_column()
    {
        _bed.Seed();
        using var session = new PowerShellSession(_bed.ModulePath, Serilog.Core.Logger.None);
        await session.ImportModuleAsync(CancellationToken.None);
        await session.InvokeAsync("Connect-ExchangeOnline", [("AppId", "app"), ("AccessToken", "t"), ("Organization", "contoso.onmicrosoft.com"), ("ShowBanner", false)], CancellationToken.None);
        (string, object?)[] endpoint = [("IMAP", true), ("Name", "imap1"), ("RemoteServer", "imap.contoso.com"), ("Port", 993), ("Security", "Ssl")];
        await session.InvokeAsync("New-MigrationEndpoint", endpoint, CancellationToken.None);

        var duplicate = await Assert.ThrowsAsync<PowerShellCommandException>(() => session.InvokeAsync("New-MigrationEndpoint", endpoint, CancellationToken.None));
        Assert.Contains("already exists", duplicate.Message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<PowerShellCommandException>(() => session.InvokeAsync("Get-MigrationBatch", [("Identity", "b"), ("Colour", "blue")], CancellationToken.None));
        Assert.Contains("A parameter cannot be found that matches parameter name 'Colour'", unknown.Message, StringComparison.Ordinal);

        var csv = System.Text.Encoding.UTF8.GetBytes("EmailAddress,UserName,Password,Mailbox\r\na@contoso.com,a,pw,x\r\n");
        var column = await Assert.ThrowsAsync<PowerShellCommandException>(() => session.InvokeAsync("New-MigrationBatch", [("Name", "b1"), ("SourceEndpoint", "imap1"), ("CSVData", csv)], CancellationToken.None));
        Assert.Contains("unknown column header 'Mailbox'", column.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<PowerShellCommandException>(() => session.InvokeAsync("Get-MigrationBatch", [("Identity", "nope")], CancellationToken.None));
        Assert.True(missing.NotFound);
    }

    [Fact]
    public async Task Exported_script_run_twice_against_the_stub_ends_in_the_same_state_as_after_once()
    {
        _bed.Seed();
        var plan = _bed.LoadPlan("staged.yaml");
        var diagnostics = new List<Diagnostic>();
        var script = PowerShellScriptExporter.Export(plan, _bed.Options(organization: "tailspintoys.onmicrosoft.com"), diagnostics);
        Assert.NotNull(script);
        Assert.Empty(diagnostics);
        _bed.AssertNoSecretLeaked([script]);
        Assert.Contains("Read-MigrateSecret 'env:STAGED_INITIAL_PASSWORD'", script, StringComparison.Ordinal);
        var path = Path.Combine(_bed.Root, "staged.ps1");
        File.WriteAllText(path, script);
        Environment.SetEnvironmentVariable("MIGRATE_EXO_MODULE_PATH", _bed.ModulePath);

        RunScript(path);
        var once = _bed.TenantSnapshot();
        Assert.Equal(2, _bed.Tenant()["Batches"]!.AsObject().Count);
        Assert.Equal(4, _bed.Tenant()["Users"]!.AsObject().Count);
        _bed.ClearCalls();

        RunScript(path);

        Assert.DoesNotContain(_bed.MutatingCalls(), c => c != "Start-MigrationBatch" && c != "Start-MigrationUser");
        Assert.DoesNotContain("New-MigrationBatch", _bed.Calls());
        Assert.Equal(Normalize(once), Normalize(_bed.TenantSnapshot()));
    }

    // Batches move on each time they are looked at (the stub's clock): compare what the script controls.
    private static string Normalize(string snapshot) => System.Text.RegularExpressions.Regex.Replace(snapshot, "\"Status\":\"[A-Za-z]+\"", "\"Status\":\"*\"")
        .Replace("\"SyncedItemCount\":120", "\"SyncedItemCount\":0", StringComparison.Ordinal).Replace("\"SkippedItemCount\":1", "\"SkippedItemCount\":0", StringComparison.Ordinal);

    internal static void RunScript(string path)
    {
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var shell = PowerShell.Create(runspace);
        shell.AddCommand(path);
        shell.Invoke();
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error.Select(e => e.ToString())));
    }

    [Fact]
    public void Long_batch_names_are_cut_to_64_characters_with_a_hash_that_keeps_them_apart()
    {
        var first = ExchangePlanBuilder.LimitName(new string('a', 70) + "-wave-1");
        var second = ExchangePlanBuilder.LimitName(new string('a', 70) + "-wave-2");

        Assert.Equal(64, first.Length);
        Assert.NotEqual(first, second);
        Assert.Equal("plan-name-batch_1", ExchangePlanBuilder.LimitName("plan name-batch_1"));
    }
}
