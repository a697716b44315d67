using System.Text.Json.Nodes;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Planning;
using MigrationEngine.Core.State;
using MigrationEngine.State.Sqlite;

namespace MigrationEngine.Adapters.Exchange.Tests;

/// <summary>The example plans against the stricter stub: what Exchange Online documents, and what the engine did wrong before.</summary>
[Trait("Category", "Server")]
public sealed class ExchangeServiceBehaviourTests : IDisposable
{
    private readonly ExchangeTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private void EditPlan(string file, string from, string to)
    {
        var path = Path.Combine(_bed.PlanFolder, file);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    private JsonNode Batch(string name) => _bed.Tenant()["Batches"]![name]!;

    [Fact]
    public async Task Endpoint_concurrency_stays_as_an_admin_tuned_it_unless_the_plan_sets_it()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com"]);
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), _bed.Options()));
        _bed.ChangeTenant(t => t["Endpoints"]!["cutover-exchange-2013-onprem"]!["MaxConcurrentMigrations"] = "50");
        _bed.ClearCalls();

        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), _bed.Options()));

        Assert.Empty(_bed.MutatingCalls());
        Assert.Equal("50", _bed.Tenant()["Endpoints"]!["cutover-exchange-2013-onprem"]!["MaxConcurrentMigrations"]!.GetValue<string>());

        EditPlan("cutover.yaml", "        rpcProxyServer: mail.fabrikam.com\n", "        rpcProxyServer: mail.fabrikam.com\n        maxConcurrentMigrations: 30\n");
        _bed.ClearCalls();
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), _bed.Options()));

        Assert.Equal(["Set-MigrationEndpoint"], _bed.MutatingCalls());
        Assert.Equal(["Identity", "MaxConcurrentMigrations"], _bed.CallParameters("Set-MigrationEndpoint").Single());
        Assert.Equal("30", _bed.Tenant()["Endpoints"]!["cutover-exchange-2013-onprem"]!["MaxConcurrentMigrations"]!.GetValue<string>());
    }

    [Fact]
    public async Task Autodiscover_endpoints_name_an_address_and_credentials_instead_of_servers()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com"]);
        EditPlan("cutover.yaml", "      server: exch2013.fabrikam.local\n", string.Empty);
        EditPlan("cutover.yaml", "        rpcProxyServer: mail.fabrikam.com\n", "        autodiscover: true\n        emailAddress: migration-admin@fabrikam.com\n");

        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), _bed.Options()));

        var create = _bed.Tenant()["Calls"]!.AsArray().Single(c => c!["Command"]!.GetValue<string>() == "New-MigrationEndpoint")!;
        Assert.Equal("ExchangeOutlookAnywhereAutoDiscover", create["ParameterSet"]!.GetValue<string>());
        Assert.Equal(["Autodiscover", "Credentials", "EmailAddress", "ExchangeOutlookAnywhere", "Name"], create["Parameters"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.True(_bed.Tenant()["Endpoints"]!["cutover-exchange-2013-onprem"]!["Autodiscover"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_batch_of_2500_users_is_read_whole_and_a_second_apply_adds_nobody()
    {
        var csv = "EmailAddress,UserName,Password\n" + string.Join("\n", Enumerable.Range(0, 2_500).Select(i => $"user{i:D4}@adatum.com,user{i:D4},env:IMAP_PASSWORD_TERRY")) + "\n";
        File.WriteAllText(Path.Combine(_bed.PlanFolder, "mailboxes", "exchange-imap.csv"), csv);
        var plan = _bed.LoadPlan("exchange-imap.yaml");
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(plan, _bed.Options(organization: "adatum.onmicrosoft.com")));
        Assert.Equal(2_500, _bed.Tenant()["Users"]!.AsObject().Count);
        _bed.ClearCalls();

        var second = await _bed.ApplyAsync(plan, _bed.Options(organization: "adatum.onmicrosoft.com"));

        ExchangeTestBed.AssertSucceeded(second);
        Assert.Empty(_bed.MutatingCalls());
        Assert.All(_bed.CallParameters("Get-MigrationUser"), p => Assert.Contains("ResultSize", p));
        using var start = System.Text.Json.JsonDocument.Parse((await _bed.StepsAsync(plan.Name))["start-batch/adatum-imap"].ResultJson!);
        Assert.Equal(2_500, start.RootElement.GetProperty("users").GetArrayLength());
    }

    [Fact]
    public async Task IncrementalFailed_and_CompletionFailed_are_failures_that_the_next_apply_retries()
    {
        EditPlan("hybrid.yaml", "        removeWhenCompleted: true\n", string.Empty);
        _bed.Seed(outcomes: new() { ["chris.green@litware.com"] = "IncrementalFailed", ["sam.lee@litware.com"] = "CompletionFailed" });
        var plan = _bed.LoadPlan("hybrid.yaml");

        var first = await _bed.ApplyAsync(plan, _bed.Options());

        var failure = Assert.Single(first.Diagnostics, d => d.IsError);
        Assert.Equal("MIG1107", failure.Code);
        Assert.Contains("chris.green@litware.com: IncrementalFailed", failure.Message, StringComparison.Ordinal);
        _bed.ClearCalls();

        var second = await _bed.ApplyAsync(plan, _bed.Options());

        failure = Assert.Single(second.Diagnostics, d => d.IsError);
        Assert.Contains("sam.lee@litware.com: CompletionFailed", failure.Message, StringComparison.Ordinal);
        Assert.Single(_bed.CallParameters("Start-MigrationUser"));
        Assert.Equal("CompletedWithErrors", Batch("hybrid-exchange-2016-wave1")["Status"]!.GetValue<string>());
        _bed.ClearCalls();

        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(plan, _bed.Options()));

        Assert.Contains("Start-MigrationUser", _bed.Calls());
        Assert.Equal("Completed", Batch("hybrid-exchange-2016-wave1")["Status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_status_the_references_do_not_list_is_reported_not_guessed()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com"]);
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), _bed.Options()));
        _bed.ChangeTenant(t => t["Batches"]!["cutover-exchange-2013-cutover"]!["Status"] = "Hibernating");

        var summary = await _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), _bed.Options());

        var error = Assert.Single(summary.Diagnostics, d => d.IsError);
        Assert.Equal("MIG1130", error.Code);
        Assert.Contains("'Hibernating'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_since_is_fixed_when_the_batch_is_created_and_not_compared_later()
    {
        var plan = _bed.LoadPlan("exchange-imap.yaml");
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(plan, _bed.Options(organization: "adatum.onmicrosoft.com")));
        var created = Batch("imap-via-exchange-service-adatum-imap")["ContentFilter"]!.GetValue<string>();
        Assert.Equal($"Received -ge '{DateTime.UtcNow.AddDays(-365).ToString("yyyy'/'MM'/'dd", System.Globalization.CultureInfo.InvariantCulture)}'", created);
        Assert.Contains(created.Replace("'", "\\u0027", StringComparison.Ordinal), (await _bed.StepsAsync(plan.Name))["ensure-batch/adatum-imap"].ResultJson!, StringComparison.Ordinal);
        // As if the batch had been created some days ago: "365d" now resolves to another date.
        _bed.ChangeTenant(t => t["Batches"]!["imap-via-exchange-service-adatum-imap"]!["ContentFilter"] = "Received -ge '2025/11/20'");
        _bed.ClearCalls();

        var again = await _bed.ApplyAsync(_bed.LoadPlan("exchange-imap.yaml"), _bed.Options(organization: "adatum.onmicrosoft.com"));

        ExchangeTestBed.AssertSucceeded(again);
        Assert.DoesNotContain(again.Diagnostics, d => d.Code == "MIG1105");
        Assert.Empty(_bed.MutatingCalls());
    }

    [Fact]
    public async Task A_user_graded_Investigate_waits_for_a_committed_approval_and_then_completes()
    {
        _bed.Seed(dcs: new() { ["sam.lee@litware.com"] = ("Investigate", ["CorruptItem", "CorruptItem", "LargeItem"]) });
        var plan = _bed.LoadPlan("hybrid.yaml");

        var first = await _bed.ApplyAsync(plan, _bed.Options());

        var waiting = Assert.Single(first.Diagnostics, d => d.IsError);
        Assert.Equal("MIG1131", waiting.Code);
        Assert.Contains("sam.lee@litware.com (Investigate, 3 skipped: CorruptItem 2, LargeItem 1)", waiting.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Complete-MigrationBatch", _bed.Calls());
        Assert.DoesNotContain("Set-MigrationUser", _bed.Calls());
        var planned = await PlanAsync(plan);
        var complete = planned.Steps.Single(s => s.Step.Id == "complete-batch/wave1");
        Assert.Equal(PlannedAction.Rerun, complete.Action);
        Assert.Contains("awaiting skipped-item approval: sam.lee@litware.com", complete.Reason, StringComparison.Ordinal);

        // An approval for fewer items than were skipped approves nothing.
        EditPlan("hybrid.yaml", "        removeWhenCompleted: true\n", "          - mailbox: sam.lee@litware.com\n            maxSkippedItems: 2\n            approvedBy: it-lead@litware.com\n        removeWhenCompleted: true\n");
        Assert.Equal("MIG1131", Assert.Single((await _bed.ApplyAsync(_bed.LoadPlan("hybrid.yaml"), _bed.Options())).Diagnostics, d => d.IsError).Code);
        Assert.DoesNotContain("Set-MigrationUser", _bed.Calls());

        EditPlan("hybrid.yaml", "            maxSkippedItems: 2\n", "            maxSkippedItems: 3\n");
        _bed.ClearCalls();
        var approved = await _bed.ApplyAsync(_bed.LoadPlan("hybrid.yaml"), _bed.Options());

        ExchangeTestBed.AssertSucceeded(approved);
        Assert.Contains(approved.Diagnostics, d => d.Code == "MIG1133" && d.Message.Contains("approved by it-lead@litware.com", StringComparison.Ordinal));
        Assert.Equal([["ApproveSkippedItems", "Identity"]], _bed.CallParameters("Set-MigrationUser"));
        Assert.Contains("Complete-MigrationBatch", _bed.Calls());
        var steps = await _bed.StepsAsync(plan.Name);
        Assert.Equal(StepStatus.Succeeded, steps["complete-batch/wave1"].Status);
        Assert.Contains("\"skipped_by_kind\":{\"CorruptItem\":2,\"LargeItem\":1}", steps["complete-batch/wave1"].ResultJson!, StringComparison.Ordinal);
        // 'migrate status' shows each mailbox of the batch with its grade and skipped items by kind.
        var users = NativeMigrationStatus.Users(PlanCompiler.Compile(plan), steps, "wave1");
        Assert.Equal("DCS Investigate, 3 skipped (CorruptItem 2, LargeItem 1)", users["sam.lee@litware.com"].Detail());
        Assert.Equal("Completed", users["sam.lee@litware.com"].Status);
    }

    [Fact]
    public async Task A_user_graded_Poor_cannot_be_approved()
    {
        _bed.Seed(dcs: new() { ["chris.green@litware.com"] = ("Poor", ["MissingItem"]) });

        var summary = await _bed.ApplyAsync(_bed.LoadPlan("hybrid.yaml"), _bed.Options());

        Assert.Equal("MIG1132", Assert.Single(summary.Diagnostics, d => d.IsError).Code);
        Assert.DoesNotContain("Set-MigrationUser", _bed.Calls());
        Assert.DoesNotContain("Complete-MigrationBatch", _bed.Calls());
    }

    [Fact]
    public async Task A_batch_the_service_removed_before_completion_is_created_again()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com"]);
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), _bed.Options()));
        _bed.ServiceRemovesBatch("cutover-exchange-2013-cutover");
        _bed.ClearCalls();

        var summary = await _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), _bed.Options());

        ExchangeTestBed.AssertSucceeded(summary);
        Assert.Contains(summary.Diagnostics, d => d.Code == "MIG1134" && d.Severity == DiagnosticSeverity.Warning);
        Assert.Contains("New-MigrationBatch", _bed.Calls());
        Assert.Equal("Synced", Batch("cutover-exchange-2013-cutover")["Status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_completed_batch_that_is_gone_later_is_reported_completed_not_migrated_again()
    {
        var plan = _bed.LoadPlan("hybrid.yaml");
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(plan, _bed.Options()));
        Assert.Contains("Remove-MigrationBatch", _bed.Calls());
        _bed.ClearCalls();

        var later = await _bed.ApplyAsync(plan, _bed.Options());

        ExchangeTestBed.AssertSucceeded(later);
        Assert.Empty(_bed.MutatingCalls());
        Assert.False(_bed.Tenant()["Batches"]!.AsObject().ContainsKey("hybrid-exchange-2016-wave1"));
        Assert.Contains("removed-after-completion", (await _bed.StepsAsync(plan.Name))["ensure-batch/wave1"].ResultJson!, StringComparison.Ordinal);

        // The plan can say otherwise: create it again.
        EditPlan("hybrid.yaml", "        removeWhenCompleted: true\n", "        whenRemoved: recreate\n");
        _bed.ClearCalls();
        await _bed.ApplyAsync(_bed.LoadPlan("hybrid.yaml"), _bed.Options());
        Assert.Contains("New-MigrationBatch", _bed.Calls());
    }

    [Fact]
    public async Task Waiting_for_a_batch_the_service_holds_is_bounded()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com"]);
        _bed.ChangeTenant(t => t["Frozen"] = new JsonArray("cutover-exchange-2013-cutover"));
        EditPlan("cutover.yaml", "      targetDeliveryDomain: fabrikam.mail.onmicrosoft.com\n", "      targetDeliveryDomain: fabrikam.mail.onmicrosoft.com\n      exchange:\n        maxWaitMinutes: 0\n");
        var options = _bed.Options() with { MaxWait = TimeSpan.FromHours(24) };

        var run = _bed.ApplyAsync(_bed.LoadPlan("cutover.yaml"), options);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2)));

        Assert.Same(run, finished);
        var still = Assert.Single((await run).Diagnostics, d => d.Code == "MIG1108");
        Assert.Contains("exchange.maxWaitMinutes", still.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Google_Workspace_example_uses_microsofts_gmail_endpoint_and_completes_with_the_committed_approval()
    {
        _bed.Seed(dcs: new() { ["will@fabrikaminc.net"] = ("Investigate", ["DriveLink", "DriveLink"]) });
        var plan = _bed.LoadPlan("gworkspace.yaml");

        var summary = await _bed.ApplyAsync(plan, _bed.Options());

        ExchangeTestBed.AssertSucceeded(summary);
        var tenant = _bed.Tenant();
        var endpoint = tenant["Endpoints"]!["gworkspace-fabrikam-google"]!;
        Assert.Equal("Gmail", endpoint["EndpointType"]!.GetValue<string>());
        Assert.Equal(["EmailAddress", "Gmail", "Name", "ServiceAccountKeyFileData"], _bed.CallParameters("New-MigrationEndpoint").Single());
        var batch = tenant["Batches"]!["gworkspace-fabrikam-sales"]!;
        Assert.Equal("o365.fabrikaminc.net", batch["TargetDeliveryDomain"]!.GetValue<string>());
        Assert.Equal(["#JunkEmail#", "Spam"], batch["ExcludeFolders"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("Completed", batch["Status"]!.GetValue<string>());
        Assert.Single(_bed.CallParameters("Set-MigrationUser"));
        _bed.AssertNoSecretLeaked(_bed.LogLines.Append(File.ReadAllText(_bed.StateFile)).Concat((await _bed.StepsAsync(plan.Name)).Values.Select(s => s.ResultJson ?? string.Empty)));
    }

    [Fact]
    public void Exported_script_approves_what_the_plan_records_completes_and_changes_nothing_more_when_run_again()
    {
        _bed.Seed(dcs: new() { ["will@fabrikaminc.net"] = ("Investigate", ["DriveLink", "DriveLink"]), ["user123@fabrikaminc.net"] = ("Investigate", ["DriveLink", "DriveLink", "DriveLink"]) });
        var diagnostics = new List<Diagnostic>();
        var script = PowerShellScriptExporter.Export(_bed.LoadPlan("gworkspace.yaml"), _bed.Options(), diagnostics);
        Assert.NotNull(script);
        Assert.Empty(diagnostics);
        _bed.AssertNoSecretLeaked([script]);
        Assert.Contains("Read-MigrateSecret 'file:secrets/google-service-account.json'", script, StringComparison.Ordinal);
        var path = Path.Combine(_bed.Root, "gworkspace.ps1");
        File.WriteAllText(path, script);
        Environment.SetEnvironmentVariable("MIGRATE_EXO_MODULE_PATH", _bed.ModulePath);

        for (var run = 0; run < 4; run++)
        {
            ExchangeExecutorTests.RunScript(path);
        }

        // will's two skipped items are covered by the '*' entry (at most 2); user123's three are not: the batch waits.
        Assert.Single(_bed.CallParameters("Set-MigrationUser"));
        Assert.DoesNotContain("Complete-MigrationBatch", _bed.Calls());
        Assert.Equal("Synced", Batch("gworkspace-fabrikam-sales")["Status"]!.GetValue<string>());

        EditPlan("gworkspace.yaml", "            maxSkippedItems: 2\n", "            maxSkippedItems: 3\n");
        File.WriteAllText(path, PowerShellScriptExporter.Export(_bed.LoadPlan("gworkspace.yaml"), _bed.Options(), diagnostics)!);
        for (var run = 0; run < 3; run++)
        {
            ExchangeExecutorTests.RunScript(path);
        }

        Assert.Equal(2, _bed.CallParameters("Set-MigrationUser").Count);
        Assert.Equal("Completed", Batch("gworkspace-fabrikam-sales")["Status"]!.GetValue<string>());
    }

    [Fact]
    public void Client_secret_tokens_use_each_clouds_exchange_online_host()
    {
        Assert.Equal("https://outlook.office365.com/.default", ExchangeConnection.CloudHosts(null).Scope);
        Assert.Equal("https://outlook.office365.us/.default", ExchangeConnection.CloudHosts(MicrosoftCloud.UsGov).Scope);
        Assert.Equal("https://webmail.apps.mil/.default", ExchangeConnection.CloudHosts(MicrosoftCloud.UsGovDod).Scope);
        Assert.Equal("https://partner.outlook.cn/.default", ExchangeConnection.CloudHosts(MicrosoftCloud.China).Scope);
    }

    private async Task<PlanResult> PlanAsync(MigrationEngine.Core.Model.PlanModel plan)
    {
        await using var store = await SqliteStateStore.OpenAsync(Path.Combine(_bed.Root, "state.db"), CancellationToken.None);
        return await Planner.PlanAsync(plan, PlanCompiler.Compile(plan), store, CancellationToken.None);
    }
}
