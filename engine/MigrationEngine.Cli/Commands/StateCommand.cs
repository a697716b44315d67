using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
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
            console.Error.WriteLine(Diagnose.StateUnavailable(SourceLocation.None(StateStoreFactory.Describe(location)), ex.Message).ToMsBuildString());
            return ExitCodes.Error;
        }
        catch (IOException ex)
        {
            console.Error.WriteLine(Diagnose.StateTransferFileUnreadable(SourceLocation.None(location), ex.Message).ToMsBuildString());
            return ExitCodes.Error;
        }
    }
}

internal sealed record ExportFile(PlanStateSnapshot Snapshot, string StateHash);

internal sealed class StateTransferException(string message, SourceLocation? location = null) : Exception(message)
{
    public SourceLocation? Location { get; } = location;
}

/// <summary>Reads and writes the export file: whole plan states as JSON lines.</summary>
internal static class StateTransfer
{
    public const string FormatName = "migration-engine-state";
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Describe(PlanStateSnapshot snapshot) => string.Create(CultureInfo.InvariantCulture,
        $"{snapshot.Runs.Count} run(s), {snapshot.Steps.Count} step(s), {snapshot.Ledger.Count} ledger entr(ies), {snapshot.ItemEvents.Count} item event(s), {snapshot.Cursors.Count} cursor(s)");

    public static async Task WriteFileAsync(string path, PlanStateSnapshot snapshot, string sourceLocation, string stateHash, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            PrivateFiles.CreateFolder(folder);
        }

        // Written beside and renamed: a half-written export is never mistaken for a whole one.
        var temporary = path + ".partial";
        await using (var writer = new StreamWriter(new FileStream(temporary, PrivateFiles.CreateOptions()), new UTF8Encoding(false)))
        {
            async Task Line(object record) => await writer.WriteLineAsync(JsonSerializer.Serialize(record, Json).AsMemory(), cancellationToken);
            await Line(new { type = "header", format = FormatName, version = FormatVersion, plan = snapshot.PlanName, exportedAt = DateTimeOffset.UtcNow, source = sourceLocation, stateHash });
            foreach (var run in snapshot.Runs)
            {
                await Line(new { type = "run", run });
            }

            foreach (var step in snapshot.Steps)
            {
                await Line(new { type = "step", step });
            }

            foreach (var row in snapshot.Ledger)
            {
                await Line(new { type = "ledger", id = row.Id, entry = row.Entry });
            }

            foreach (var item in snapshot.ItemEvents)
            {
                await Line(new { type = "event", @event = item });
            }

            foreach (var cursor in snapshot.Cursors)
            {
                await Line(new { type = "cursor", cursor.Migration, cursor.Mailbox, cursor.Folder, cursor = cursor.Cursor });
            }

            await Line(new { type = "end", records = snapshot.Runs.Count + snapshot.Steps.Count + snapshot.Ledger.Count + snapshot.ItemEvents.Count + snapshot.Cursors.Count });
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static async Task<ExportFile> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new StateTransferException($"'{path}' does not exist", SourceLocation.None(path));
        }

        string? plan = null;
        string? hash = null;
        int? expectedRecords = null;
        var runs = new List<RunRecord>();
        var steps = new List<StepRecord>();
        var ledger = new List<LedgerRow>();
        var events = new List<ItemEvent>();
        var cursors = new List<CursorRow>();
        var lineNumber = 0;
        using var reader = new StreamReader(path, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var location = new SourceLocation(path, lineNumber, 1);
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var type = root.GetProperty("type").GetString();
                if (lineNumber == 1 && type != "header")
                {
                    throw new StateTransferException($"'{path}' is not a state export (the first line is not its header)", location);
                }

                switch (type)
                {
                    case "header":
                        if (root.GetProperty("format").GetString() != FormatName)
                        {
                            throw new StateTransferException($"'{path}' is not a state export", location);
                        }

                        if (root.GetProperty("version").GetInt32() > FormatVersion)
                        {
                            throw new StateTransferException($"'{path}' was written by a newer engine (format version {root.GetProperty("version").GetInt32()}); import it with that version", location);
                        }

                        plan = root.GetProperty("plan").GetString();
                        hash = root.GetProperty("stateHash").GetString();
                        break;
                    case "run":
                        runs.Add(Deserialize<RunRecord>(root.GetProperty("run")));
                        break;
                    case "step":
                        steps.Add(Deserialize<StepRecord>(root.GetProperty("step")));
                        break;
                    case "ledger":
                        ledger.Add(new LedgerRow(root.GetProperty("id").GetInt64(), Deserialize<LedgerEntry>(root.GetProperty("entry"))));
                        break;
                    case "event":
                        events.Add(Deserialize<ItemEvent>(root.GetProperty("event")));
                        break;
                    case "cursor":
                        cursors.Add(new CursorRow(root.GetProperty("migration").GetString()!, root.GetProperty("mailbox").GetString()!, root.GetProperty("folder").GetString()!,
                            Deserialize<FolderCursor>(root.GetProperty("cursor"))));
                        break;
                    case "end":
                        expectedRecords = root.GetProperty("records").GetInt32();
                        break;
                    default:
                        throw new StateTransferException($"line {lineNumber} has an unknown record type '{type}'", location);
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new StateTransferException($"line {lineNumber} of '{path}' is not a valid state record ({ex.Message})", location);
            }
        }

        var count = runs.Count + steps.Count + ledger.Count + events.Count + cursors.Count;
        if (plan is null || hash is null)
        {
            throw new StateTransferException($"'{path}' is empty or has no header: it is not a state export", SourceLocation.None(path));
        }

        if (expectedRecords != count)
        {
            throw new StateTransferException($"'{path}' is incomplete ({count} records, the export wrote {(expectedRecords is null ? "more and an end line" : expectedRecords.Value.ToString(CultureInfo.InvariantCulture))})", SourceLocation.None(path));
        }

        return new ExportFile(new PlanStateSnapshot(plan, runs, steps, ledger, events, cursors), hash);
    }

    private static T Deserialize<T>(JsonElement element) =>
        element.Deserialize<T>(Json) ?? throw new JsonException($"an empty {typeof(T).Name}");
}
