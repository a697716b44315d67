using MigrationEngine.Cli.Hosting;
using System.CommandLine;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create(CliConsole console)
    {
        var plan = Options.Plan();
        var state = Options.State();
        var output = Options.Output("text", "json");
        var full = new Option<bool>("--full") { Description = $"Text: list every mailbox (by default a plan of more than {StatusRenderer.ListLimit} mailboxes shows counts per migration and the mailboxes that are not done)" };
        var noSnapshot = new Option<bool>("--no-snapshot") { Description = "Recompute from the step and ledger records even when the snapshot the last apply kept is current" };
        var command = new Command("status", "Progress per migration and mailbox, from state") { plan, state, output, full, noSnapshot };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var planPath = parse.GetValue(plan)!;
            var format = new Format(parse.GetValue(output) == "json", parse.GetValue(full), planPath);

            // The snapshot the last apply kept answers without loading the plan's CSVs, compiling the graph or reading every
            // step and ledger row, as long as the plan's files and the state are what it was made from (StatusSnapshots).
            if (!parse.GetValue(noSnapshot) && File.Exists(planPath))
            {
                var location = StateLocator.Resolve(Path.GetDirectoryName(Path.GetFullPath(planPath))!, parse.GetValue(state));
                if (await TryOpenQuietlyAsync(location, cancellationToken) is { } existing)
                {
                    await using (existing)
                    {
                        if (await StatusSnapshots.TryReadAsync(existing, planPath, cancellationToken) is { } kept)
                        {
                            await PrintAsync(console, kept, existing, StateStoreFactory.Describe(location), format, cancellationToken);
                            return ExitCodes.Success;
                        }
                    }
                }
            }

            var model = PlanInput.Load(console, planPath);
            if (model is null)
            {
                return ExitCodes.Error;
            }

            var statePath = StateLocator.Resolve(model, parse.GetValue(state));
            if (!StateLocator.MayExist(statePath))
            {
                console.Out.WriteLine($"Plan {model.Name} has not been applied yet (no state at {statePath}).");
                return ExitCodes.Success;
            }

            // Compiled while the state is read: the two take about as long at 50,000 mailboxes.
            var compiling = Task.Run(() => PlanCompiler.Compile(model), cancellationToken);

            await using var store = await StateLocator.OpenAsync(console, statePath, cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            // One account of the plan: the same figures, and the same total line, as apply's summary and the reports.
            var revision = await StatusSnapshots.RevisionAsync(store, model.Name, cancellationToken);
            var account = await PlanAccount.ReadAsync(model, compiling, store, cancellationToken);
            var view = StatusView.Build(model, await compiling, account);
            // With a shared state (PostgreSQL, which keeps no snapshot): the queue and the workers too.
            var workers = await WorkerStatus.ReadAsync(store, await compiling, account, model.Name, cancellationToken);
            await PrintAsync(console, view, store, StateStoreFactory.Describe(statePath), format, cancellationToken, workers);
            await KeepSnapshotAsync(store, model, revision, view);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Keeps the view for the next status when nothing was written while it was made (a running apply moves the revision, and
    /// its own end keeps one). Only a cache: a state that cannot be written (read-only file, busy) keeps none.
    /// </summary>
    private static async Task KeepSnapshotAsync(IStateStore store, Core.Model.PlanModel model, long revision, StatusView view)
    {
        try
        {
            if (await StatusSnapshots.RevisionAsync(store, model.Name, CancellationToken.None) == revision)
            {
                await StatusSnapshots.SaveAsync(store, model, revision, view, CancellationToken.None);
            }
        }
        catch (StateStoreException)
        {
        }
    }

    /// <summary>The store when it opens; null (and nothing printed) otherwise: the exact path then says what is wrong.</summary>
    private static async Task<IStateStore?> TryOpenQuietlyAsync(string location, CancellationToken cancellationToken)
    {
        if (!StateLocator.MayExist(location) || StateStoreFactory.IsPostgres(location))
        {
            // PostgreSQL stores keep no snapshots; the exact path opens them once.
            return null;
        }

        try
        {
            return await StateStoreFactory.OpenAsync(location, cancellationToken);
        }
        catch (StateStoreException)
        {
            return null;
        }
    }

    /// <summary>Prints the view with what is live: the plan's lock holder and who holds each mailbox's lease.</summary>
    private static async Task PrintAsync(CliConsole console, StatusView view, IStateStore store, string stateDescription, Format format, CancellationToken cancellationToken,
        WorkerStatus.Report? workers = null)
    {
        var owner = await store.GetLockOwnerAsync(view.Plan, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var leases = store is IMailboxLeaseStore leaseStore
            ? (await leaseStore.GetMailboxLeasesAsync(view.Plan, cancellationToken)).ToDictionary(l => (l.Migration, l.Mailbox))
            : [];
        string? HeldBy(StatusRow row) => leases.Count > 0 && leases.TryGetValue((row.Migration, row.Mailbox), out var lease)
            ? $"{lease} ({LeaseRules.Describe(LeaseRules.StateOf(lease, now))})"
            : null;

        // Written at once: a line per mailbox, each its own write to a terminal or pipe, cost more than building them.
        console.Out.Write(format.Json
            ? WorkerStatus.AddToJson(StatusRenderer.Json(view, owner, HeldBy), workers) + Environment.NewLine
            : StatusRenderer.Text(view, stateDescription, owner, HeldBy, format.Full, format.DisplayPath) + WorkerStatus.Text(workers, now));
    }

    /// <summary>How status prints: JSON, or text listing every mailbox (--full) or summarising a large plan.</summary>
    private sealed record Format(bool Json, bool Full, string DisplayPath);
}
