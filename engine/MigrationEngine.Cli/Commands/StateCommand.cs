using System.CommandLine;
using MigrationEngine.Cli.Hosting;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Commands;

/// <summary>
/// <c>migrate state export PLAN --out FILE</c> and <c>migrate state import PLAN FILE [--force]</c>: move a plan's state
/// (runs, steps, ledger, item events, cursors) between stores, for example from the local SQLite file to a shared
/// PostgreSQL database, as JSON lines. Ids are kept when the destination allows it, so the state hash (and saved plans
/// made against it) stay valid.
/// </summary>
internal static class StateCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("state", "Move a plan's recorded state between state stores");
        command.Subcommands.Add(CreateExport(console));
        command.Subcommands.Add(CreateImport(console));
        return command;
    }

    private static Command CreateExport(CliConsole console)
    {
        var plan = Options.Plan();
        var state = Options.State();
        var outFile = new Option<string>("--out") { Description = "The file to write (JSON lines)", Required = true };
        var command = new Command("export", "Write the plan's state to a file") { plan, state, outFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var model = PlanInput.Load(console, parse.GetValue(plan)!);
            if (model is null)
            {
                return ExitCodes.Error;
            }

            var location = Locate(model, parse.GetValue(state));
            if (!StateStoreFactory.IsPostgres(location) && !File.Exists(location))
            {
                console.Error.WriteLine(Diagnose.StateUnavailable(SourceLocation.None(location), $"'{location}' does not exist",
                    hint: "run 'migrate apply' first, or name the state with --state").ToMsBuildString());
                return ExitCodes.Error;
            }

            return await WithStoreAsync(console, location, async (store, transfer) =>
            {
                await using var held = await store.AcquireLockAsync(model.Name, "state export", cancellationToken);
                var snapshot = await transfer.ExportPlanStateAsync(model.Name, cancellationToken);
                var hash = await store.GetStateHashAsync(model.Name, cancellationToken);
                var path = Path.GetFullPath(parse.GetValue(outFile)!);
                await StateTransfer.WriteFileAsync(path, snapshot, store.Location, hash, cancellationToken);
                console.Out.WriteLine($"Exported the state of plan {model.Name} from {store.Location} to {path}: {StateTransfer.Describe(snapshot)}; state hash {hash}.");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command CreateImport(CliConsole console)
    {
        var plan = Options.Plan();
        var file = new Argument<string>("file") { Description = "A file written by 'migrate state export'" };
        var state = Options.State();
        var force = new Option<bool>("--force") { Description = "Replace the state the destination already has for the plan" };
        var command = new Command("import", "Load a plan's state from a file written by 'migrate state export'") { plan, file, state, force };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var model = PlanInput.Load(console, parse.GetValue(plan)!);
            if (model is null)
            {
                return ExitCodes.Error;
            }

            var path = parse.GetValue(file)!;
            ExportFile export;
            try
            {
                export = await StateTransfer.ReadFileAsync(path, cancellationToken);
            }
            catch (StateTransferException ex)
            {
                console.Error.WriteLine(Diagnose.StateTransferFileUnreadable(ex.Location ?? SourceLocation.None(path), ex.Message,
                    hint: "export it again with 'migrate state export'").ToMsBuildString());
                return ExitCodes.Error;
            }

            if (!string.Equals(export.Snapshot.PlanName, model.Name, StringComparison.Ordinal))
            {
                console.Error.WriteLine(Diagnose.StateImportPlanMismatch(SourceLocation.None(path), export.Snapshot.PlanName, model.Name,
                    hint: "import it with the plan it was exported from").ToMsBuildString());
                return ExitCodes.Error;
            }

            var location = Locate(model, parse.GetValue(state));
            return await WithStoreAsync(console, location, async (store, transfer) =>
            {
                await using var held = await store.AcquireLockAsync(model.Name, "state import", cancellationToken);
                if (!parse.GetValue(force) && await transfer.HasPlanStateAsync(model.Name, cancellationToken))
                {
                    var existing = await transfer.ExportPlanStateAsync(model.Name, cancellationToken);
                    console.Error.WriteLine(Diagnose.StateImportWouldOverwrite(SourceLocation.None(store.Location), store.Location, model.Name, StateTransfer.Describe(existing),
                        hint: "use --force to replace it (the executor checks the target before copying, so nothing is duplicated)").ToMsBuildString());
                    return ExitCodes.Error;
                }

                var idsKept = await transfer.ImportPlanStateAsync(export.Snapshot, cancellationToken);
                var hash = await store.GetStateHashAsync(model.Name, cancellationToken);
                var same = string.Equals(hash, export.StateHash, StringComparison.Ordinal);
                console.Out.WriteLine($"Imported the state of plan {model.Name} into {store.Location}: {StateTransfer.Describe(export.Snapshot)}; state hash {hash}"
                    + (same ? " (same as the export)." : $" (the export had {export.StateHash}: {(idsKept ? "the stores number entries differently" : "ids were renumbered because other plans use them here")}; make saved plans again)."));
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static string Locate(PlanModel model, string? stateOption) =>
        stateOption is not null ? (StateStoreFactory.IsPostgres(stateOption) ? stateOption : Path.GetFullPath(stateOption))
        : Environment.GetEnvironmentVariable("MIGRATE_STATE") is { Length: > 0 } fromEnvironment ? (StateStoreFactory.IsPostgres(fromEnvironment) ? fromEnvironment : Path.GetFullPath(fromEnvironment))
        : Path.Combine(model.PlanDirectory, ".migrate", "state.db");

    /// <summary>Opens the store and hands it on with its transfer side (every store the factory opens has one).</summary>
    private static async Task<int> WithStoreAsync(CliConsole console, string location, Func<IStateStore, IStateTransfer, Task<int>> work)
    {
        try
        {
            await using var store = await StateStoreFactory.OpenAsync(location, CancellationToken.None);
            var transfer = store as IStateTransfer
                ?? throw new StateStoreException($"state store '{store.Location}' cannot export or import a plan's state.");
            return await work(store, transfer);
        }
        catch (PlanLockedException locked)
        {
            console.Error.WriteLine(Diagnose.PlanLocked(SourceLocation.None(StateStoreFactory.Describe(location)), locked.PlanName, locked.Owner,
                hint: "wait for the run to finish; state cannot move while a plan is being applied").ToMsBuildString());
            return ExitCodes.Error;
        }
        catch (StateStoreException ex)
        {
            console.Error.WriteLine(StateStoreFactory.Unavailable(location, ex).ToMsBuildString());
            return ExitCodes.Error;
        }
        catch (IOException ex)
        {
            console.Error.WriteLine(Diagnose.StateTransferFileUnreadable(SourceLocation.None(location), ex.Message).ToMsBuildString());
            return ExitCodes.Error;
        }
    }
}
