using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.State.Sqlite;

namespace MigrationEngine.Adapters.Exchange.Tests;

/// <summary>Mailboxes that cutover and staged batches create are licensed once the batch has synced (the Graph side is tested with its emulator).</summary>
[Trait("Category", "Unit")]
public sealed class ExchangeLicensingTests : IDisposable
{
    private readonly ExchangeTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    /// <summary>An in-memory licensing service: remembers who holds a licence, as a tenant would.</summary>
    private sealed class TenantLicences : IMailboxLicensing
    {
        public HashSet<string> Licensed { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Task<int> LicenseAsync(PlanModel plan, EndpointDefinition target, IReadOnlyList<MailboxEntry> mailboxes, CancellationToken cancellationToken) =>
            Task.FromResult(mailboxes.Count(m => target.Provision!.Licenses.Count > 0 && Licensed.Add(m.TargetAddress)));
    }

    [Fact]
    public async Task Cutover_mailboxes_are_licensed_after_the_initial_sync()
    {
        _bed.Seed(cutoverMailboxes: ["ada.lovelace@fabrikam.com"]);
        var path = Path.Combine(_bed.PlanFolder, "cutover.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("      certificatePassword: env:MIGRATION_CERT_PASSWORD\n",
            "      certificatePassword: env:MIGRATION_CERT_PASSWORD\n      provision:\n        usageLocation: GB\n        licenses:\n          - EXCHANGESTANDARD\n", StringComparison.Ordinal));
        var plan = _bed.LoadPlan("cutover.yaml");
        var licences = new TenantLicences();

        var summary = await ApplyAsync(plan, licences);

        ExchangeTestBed.AssertSucceeded(summary);
        Assert.Equal(PlanCompiler.MailboxesOf(plan, plan.Migrations[0]).Select(m => m.TargetAddress).Order(StringComparer.Ordinal), licences.Licensed.Order(StringComparer.Ordinal));
        Assert.Contains("\"licensed_users\":3", (await _bed.StepsAsync(plan.Name))["start-batch/cutover"].ResultJson!, StringComparison.Ordinal);
    }

    private async Task<RunSummary> ApplyAsync(PlanModel plan, IMailboxLicensing licensing)
    {
        await using var store = await SqliteStateStore.OpenAsync(Path.Combine(_bed.Root, "state.db"), CancellationToken.None);
        var executor = new Executor(store, new AdapterRegistry().Add(new ExchangeMigrationExecutor(_bed.Options(), licensing)), Serilog.Core.Logger.None);
        return await executor.ApplyAsync(plan, PlanCompiler.Compile(plan), new ExecutionOptions(), CancellationToken.None);
    }
}
