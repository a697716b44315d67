using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Planning;
using MigrationEngine.State.Sqlite;

namespace MigrationEngine.Adapters.Exchange.Tests;

/// <summary>plan refreshes Exchange-native steps from the service (the stub module), read-only, with the decisions apply takes.</summary>
[Trait("Category", "Unit")]
public sealed class ExchangePlanRefreshTests : IDisposable
{
    private const string Batch = "cutover-exchange-2013-cutover";

    private readonly ExchangeTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private async Task<PlanResult> PlanAsync(PlanModel plan, ExchangeExecutorOptions options)
    {
        await using var store = await SqliteStateStore.OpenAsync(Path.Combine(_bed.Root, "state.db"), CancellationToken.None);
        var graph = PlanCompiler.Compile(plan);
        var result = await Planner.PlanAsync(plan, graph, store, CancellationToken.None);
        var records = await store.GetStepsAsync(plan.Name, CancellationToken.None);
        var refresh = await new SourceRefresher(store, new AdapterRegistry().Add(new ExchangeMigrationExecutor(options)))
            .RefreshAsync(plan, graph, records, 4, TimeSpan.FromSeconds(120), CancellationToken.None);
        return Planner.WithRefresh(result, refresh);
    }

    private static PlannedStep Step(PlanResult result, string id) => result.Steps.Single(s => s.Step.Id == id);

    [Fact]
    public async Task A_completed_batch_is_unchanged_and_a_removed_one_is_to_create_read_without_changing_the_tenant()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com", "alan.turing@fabrikam.com"]);
        var plan = _bed.LoadPlan("cutover.yaml");
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(plan, _bed.Options()));

        // The admin completed the batch in the portal: the service says Completed, state still says "left synced".
        _bed.ChangeTenant(tenant => tenant["Batches"]![Batch]!["Status"] = "Completed");
        _bed.ClearCalls();
        var completed = await PlanAsync(plan, _bed.Options());

        Assert.Empty(_bed.MutatingCalls());
        Assert.Contains("Get-MigrationBatch", _bed.Calls());
        Assert.Contains("Get-MigrationEndpoint", _bed.Calls());
        Assert.All(completed.Steps.Where(s => s.Step.Migration == "cutover"), s => Assert.Equal(PlannedAction.Unchanged, s.Action));
        Assert.Contains("batch Completed", Step(completed, "complete-batch/cutover").Reason, StringComparison.Ordinal);
        var native = Assert.Single(completed.Refresh!.Native);
        Assert.True(native.Refreshed, native.Note);
        Assert.Contains(completed.Refresh.Mailboxes, m => m.Mailbox == "ada.lovelace@fabrikam.com" && m.Note!.Contains("Exchange Online", StringComparison.Ordinal));

        // Exchange Online removed the batch before it was completed (state never recorded completion): apply creates it again.
        _bed.ServiceRemovesBatch(Batch);
        _bed.ClearCalls();
        var removed = await PlanAsync(plan, _bed.Options());

        Assert.Empty(_bed.MutatingCalls());
        var ensure = Step(removed, "ensure-batch/cutover");
        Assert.Equal(PlannedAction.Create, ensure.Action);
        Assert.Contains("removed by Exchange Online", ensure.Reason, StringComparison.Ordinal);
        Assert.Equal(PlannedAction.Create, Step(removed, "start-batch/cutover").Action);
        Assert.Equal(PlannedAction.Unchanged, Step(removed, "ensure-endpoint/cutover").Action);
        Assert.True(removed.HasChanges);
        var text = PlanRenderer.Text(removed, "cutover.yaml");
        Assert.Contains("+ ensure-batch/cutover", text, StringComparison.Ordinal);

        // What plan said is what apply does: the batch is created again, and the next plan is unchanged.
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(plan, _bed.Options()));
        Assert.Contains("New-MigrationBatch", _bed.Calls());
        var after = await PlanAsync(plan, _bed.Options());
        Assert.False(after.HasChanges, string.Join("\n", after.Steps.Where(s => s.Action != PlannedAction.Unchanged).Select(s => $"{s.Step.Id}: {s.Reason}")));
        _bed.AssertNoSecretLeaked(removed.Steps.Select(s => s.Reason ?? string.Empty).Append(text));
    }

    [Fact]
    public async Task A_completed_batch_the_service_removed_is_reported_completed_and_failed_users_are_shown_as_retried()
    {
        _bed.Seed(failOnce: ["sam.lee@litware.com"]);
        var plan = _bed.LoadPlan("hybrid.yaml");
        await _bed.ApplyAsync(plan, _bed.Options());

        var failed = await PlanAsync(plan, _bed.Options());

        var start = Step(failed, "start-batch/wave1");
        Assert.Equal(PlannedAction.Rerun, start.Action);
        // The failed user is what the service shows: the batch to start again, or the user to retry.
        Assert.Matches("apply (retries them|starts it again)", start.Reason);

        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(plan, _bed.Options()));
        Assert.Contains("Remove-MigrationBatch", _bed.Calls());
        _bed.ClearCalls();

        var gone = await PlanAsync(plan, _bed.Options());

        Assert.Empty(_bed.MutatingCalls());
        Assert.False(gone.HasChanges, string.Join("\n", gone.Steps.Where(s => s.Action != PlannedAction.Unchanged).Select(s => $"{s.Step.Id}: {s.Reason}")));
        Assert.Contains("reported completed", Step(gone, "ensure-batch/wave1").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_credentials_the_migration_is_not_refreshed_and_keeps_what_state_says()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com"]);
        var plan = _bed.LoadPlan("cutover.yaml");
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(plan, _bed.Options()));
        var saved = Environment.GetEnvironmentVariable("MIGRATION_CERT_PASSWORD");
        Environment.SetEnvironmentVariable("MIGRATION_CERT_PASSWORD", null);
        try
        {
            var result = await PlanAsync(plan, _bed.Options());

            var native = Assert.Single(result.Refresh!.Native);
            Assert.False(native.Refreshed);
            Assert.Contains("MIGRATION_CERT_PASSWORD", native.Note, StringComparison.Ordinal);
            Assert.False(result.HasChanges);
            Assert.Contains("not refreshed", PlanRenderer.Text(result, "cutover.yaml"), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MIGRATION_CERT_PASSWORD", saved);
        }
    }

    [Fact]
    public async Task Apply_of_a_saved_plan_names_the_exchange_steps_the_service_changed_since()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com"]);
        var plan = _bed.LoadPlan("cutover.yaml");
        ExchangeTestBed.AssertSucceeded(await _bed.ApplyAsync(plan, _bed.Options()));
        var reviewed = await PlanAsync(plan, _bed.Options());
        var saved = SavedPlan.From(reviewed, Path.Combine(_bed.Root, "reviewed.json"), null);
        Assert.Empty(SavedPlanDrift.Compare(saved, await PlanAsync(plan, _bed.Options()), SourceLocation.None("reviewed.json")));

        _bed.ServiceRemovesBatch(Batch);
        var drift = SavedPlanDrift.Compare(saved, await PlanAsync(plan, _bed.Options()), SourceLocation.None("reviewed.json"));

        var moved = Assert.Single(drift);
        Assert.Equal("MIG1201", moved.Code);
        Assert.Contains("ensure-batch/cutover was 'unchanged', now 'create'", moved.Message, StringComparison.Ordinal);
        Assert.Contains("removed by Exchange Online", moved.Message, StringComparison.Ordinal);
    }
}
