using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using MigrationEngine.Cli.Hosting;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using MigrationEngine.State.Postgres;

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
                console.Error.WriteLine(DiagnosticCatalog.StateUnavailable.Create(SourceLocation.None(location), "run 'migrate apply' first, or name the state with --state", $"state database '{location}' does not exist").ToMsBuildString());
                return ExitCodes.Error;
            }

            return await WithStoreAsync(console, location, async store =>
            {
                await using var held = await store.AcquireLockAsync(model.Name, "state export", cancellationToken);
                var snapshot = await StateTransfer.ReadAsync(store, model.Name, cancellationToken);
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
                console.Error.WriteLine(DiagnosticCatalog.StateTransferFileUnreadable.Create(ex.Location ?? SourceLocation.None(path), "export it again with 'migrate state export'", ex.Message).ToMsBuildString());
                return ExitCodes.Error;
            }

            if (!string.Equals(export.Snapshot.PlanName, model.Name, StringComparison.Ordinal))
            {
                console.Error.WriteLine(DiagnosticCatalog.StateImportPlanMismatch.Create(SourceLocation.None(path), "import it with the plan it was exported from", export.Snapshot.PlanName, model.Name).ToMsBuildString());
                return ExitCodes.Error;
            }

            var location = Locate(model, parse.GetValue(state));
            return await WithStoreAsync(console, location, async store =>
            {
                await using var held = await store.AcquireLockAsync(model.Name, "state import", cancellationToken);
                var existing = await StateTransfer.ReadAsync(store, model.Name, cancellationToken);
                if (!existing.IsEmpty && !parse.GetValue(force))
                {
                    console.Error.WriteLine(DiagnosticCatalog.StateImportWouldOverwrite
                        .Create(SourceLocation.None(store.Location), "use --force to replace it (the executor checks the target before copying, so nothing is duplicated)", store.Location, model.Name, StateTransfer.Describe(existing))
                        .ToMsBuildString());
                    return ExitCodes.Error;
                }

                var idsKept = await StateTransfer.ImportAsync(store, export.Snapshot, cancellationToken);
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

    private static async Task<int> WithStoreAsync(CliConsole console, string location, Func<IStateStore, Task<int>> work)
    {
        try
        {
            await using var store = await StateStoreFactory.OpenAsync(location, CancellationToken.None);
            return await work(store);
        }
        catch (PlanLockedException locked)
        {
            console.Error.WriteLine(DiagnosticCatalog.PlanLocked.Create(SourceLocation.None(StateStoreFactory.Describe(location)), "wait for the run to finish; state cannot move while a plan is being applied", locked.PlanName, locked.Owner).ToMsBuildString());
            return ExitCodes.Error;
        }
        catch (StateStoreException ex)
        {
            console.Error.WriteLine(DiagnosticCatalog.StateUnavailable.Create(SourceLocation.None(StateStoreFactory.Describe(location)), null, ex.Message).ToMsBuildString());
            return ExitCodes.Error;
        }
        catch (SqliteException ex)
        {
            console.Error.WriteLine(DiagnosticCatalog.StateUnavailable.Create(SourceLocation.None(location), null, $"state database '{location}' failed ({ex.Message}).").ToMsBuildString());
            return ExitCodes.Error;
        }
        catch (IOException ex)
        {
            console.Error.WriteLine(DiagnosticCatalog.StateTransferFileUnreadable.Create(SourceLocation.None(location), null, ex.Message).ToMsBuildString());
            return ExitCodes.Error;
        }
    }
}

internal sealed record ExportFile(PlanStateSnapshot Snapshot, string StateHash);

internal sealed class StateTransferException(string message, SourceLocation? location = null) : Exception(message)
{
    public SourceLocation? Location { get; } = location;
}

/// <summary>Reads and writes whole plan states: through each store's own export (PostgreSQL) or its file (SQLite), and as JSON lines.</summary>
internal static class StateTransfer
{
    public const string FormatName = "migration-engine-state";
    public const int FormatVersion = 1;

    private const string SqliteTime = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Describe(PlanStateSnapshot snapshot) => string.Create(CultureInfo.InvariantCulture,
        $"{snapshot.Runs.Count} run(s), {snapshot.Steps.Count} step(s), {snapshot.Ledger.Count} ledger entr(ies), {snapshot.ItemEvents.Count} item event(s), {snapshot.Cursors.Count} cursor(s)");

    public static async Task<PlanStateSnapshot> ReadAsync(IStateStore store, string planName, CancellationToken cancellationToken)
    {
        if (store is PostgresStateStore postgres)
        {
            return await postgres.ExportPlanStateAsync(planName, cancellationToken);
        }

        // SQLite: steps, runs and events through the store; ledger ids and the cursor list from the file itself.
        var steps = (await store.GetStepsAsync(planName, cancellationToken)).Values.OrderBy(s => s.StepId, StringComparer.Ordinal).ToList();
        var runs = await store.GetRunsAsync(planName, cancellationToken);
        var events = await store.GetItemEventsAsync(planName, cancellationToken);
        await using var connection = OpenSqlite(store.Location, readOnly: true);
        var ledger = new List<LedgerRow>();
        await using (var command = SqliteCommand(connection, null, """
                         SELECT id, migration, mailbox, folder, folder_validity, source_id, message_id, dedup_key, sha256, size,
                                target_folder, target_id, outcome, recorded_at, run_id
                         FROM ledger WHERE plan = $plan ORDER BY id
                         """, ("$plan", planName)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ledger.Add(new LedgerRow(reader.GetInt64(0), new LedgerEntry
                {
                    Migration = reader.GetString(1),
                    Mailbox = reader.GetString(2),
                    Folder = reader.GetString(3),
                    FolderValidity = reader.GetInt64(4),
                    SourceId = reader.GetString(5),
                    MessageId = reader.IsDBNull(6) ? null : reader.GetString(6),
                    DedupKey = reader.GetString(7),
                    Sha256 = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Size = reader.GetInt64(9),
                    TargetFolder = reader.GetString(10),
                    TargetId = reader.IsDBNull(11) ? null : reader.GetString(11),
                    Outcome = reader.GetString(12),
                    RecordedAt = DateTimeOffset.ParseExact(reader.GetString(13), SqliteTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                    RunId = reader.GetInt64(14),
                }));
            }
        }

        var cursors = new List<CursorRow>();
        await using (var command = SqliteCommand(connection, null,
                         "SELECT migration, mailbox, folder, uid_validity, uid_next, highest_modseq FROM cursors WHERE plan = $plan ORDER BY migration, mailbox, folder", ("$plan", planName)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                cursors.Add(new CursorRow(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    new FolderCursor(reader.GetInt64(3), reader.GetInt64(4), reader.IsDBNull(5) ? null : unchecked((ulong)reader.GetInt64(5)))));
            }
        }

        return new PlanStateSnapshot(planName, runs, steps, ledger, events, cursors);
    }

    /// <summary>Replaces the plan's state in <paramref name="store"/>; returns whether ledger and run ids were kept.</summary>
    public static async Task<bool> ImportAsync(IStateStore store, PlanStateSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (store is PostgresStateStore postgres)
        {
            return await postgres.ImportPlanStateAsync(snapshot, cancellationToken);
        }

        // SQLite: one IMMEDIATE transaction on a connection of our own; the store holds the plan's lock meanwhile.
        await using var connection = OpenSqlite(store.Location, readOnly: false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        var plan = snapshot.PlanName;
        foreach (var table in new[] { "ledger", "item_events", "cursors", "steps", "runs" })
        {
            await using var delete = SqliteCommand(connection, transaction, $"DELETE FROM {table} WHERE plan = $plan", ("$plan", plan));
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        var runShift = await ShiftAsync(connection, transaction, "runs", "run_id", snapshot.Runs.Select(r => r.RunId).ToList(), cancellationToken);
        var ledgerShift = await ShiftAsync(connection, transaction, "ledger", "id", snapshot.Ledger.Select(r => r.Id).ToList(), cancellationToken);
        foreach (var run in snapshot.Runs)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO runs (run_id, plan, command, host, pid, started_at, finished_at, outcome, summary_json)
                VALUES ($id, $plan, $command, 'imported', 0, $started, $finished, $outcome, $summary)
                """, cancellationToken, ("$id", run.RunId + runShift), ("$plan", plan), ("$command", run.Command), ("$started", Time(run.StartedAt)),
                ("$finished", Time(run.FinishedAt)), ("$outcome", run.Outcome), ("$summary", run.SummaryJson));
        }

        foreach (var step in snapshot.Steps)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO steps (plan, step_id, kind, input_hash, status, attempts, started_at, finished_at, error, result_json)
                VALUES ($plan, $id, $kind, $input, $status, $attempts, $started, $finished, $error, $result)
                """, cancellationToken, ("$plan", plan), ("$id", step.StepId), ("$kind", step.Kind), ("$input", step.InputHash),
                ("$status", step.Status.ToString().ToLowerInvariant()), ("$attempts", step.Attempts), ("$started", Time(step.StartedAt)),
                ("$finished", Time(step.FinishedAt)), ("$error", step.Error), ("$result", step.ResultJson));
        }

        foreach (var (id, entry) in snapshot.Ledger)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO ledger (id, plan, migration, mailbox, folder, folder_validity, source_id, message_id, dedup_key, sha256, size,
                                    target_folder, target_id, outcome, recorded_at, run_id)
                VALUES ($id, $plan, $migration, $mailbox, $folder, $validity, $source, $messageId, $dedup, $sha, $size, $targetFolder, $targetId, $outcome, $recorded, $run)
                """, cancellationToken, ("$id", id + ledgerShift), ("$plan", plan), ("$migration", entry.Migration), ("$mailbox", entry.Mailbox), ("$folder", entry.Folder),
                ("$validity", entry.FolderValidity), ("$source", entry.SourceId), ("$messageId", entry.MessageId), ("$dedup", entry.DedupKey), ("$sha", entry.Sha256),
                ("$size", entry.Size), ("$targetFolder", entry.TargetFolder), ("$targetId", entry.TargetId), ("$outcome", entry.Outcome),
                ("$recorded", Time(entry.RecordedAt)), ("$run", snapshot.Runs.Count == 0 ? entry.RunId : entry.RunId + runShift));
        }

        foreach (var item in snapshot.ItemEvents)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO item_events (plan, migration, mailbox, folder, source_id, kind, reason, size, run_id, recorded_at)
                VALUES ($plan, $migration, $mailbox, $folder, $source, $kind, $reason, $size, $run, $recorded)
                """, cancellationToken, ("$plan", plan), ("$migration", item.Migration), ("$mailbox", item.Mailbox), ("$folder", item.Folder),
                ("$source", item.SourceId), ("$kind", item.Kind), ("$reason", item.Reason), ("$size", item.Size),
                ("$run", snapshot.Runs.Count == 0 ? item.RunId : item.RunId + runShift), ("$recorded", Time(item.RecordedAt)));
        }

        foreach (var cursor in snapshot.Cursors)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO cursors (plan, migration, mailbox, folder, uid_validity, uid_next, highest_modseq, updated_at)
                VALUES ($plan, $migration, $mailbox, $folder, $validity, $next, $modseq, $updated)
                """, cancellationToken, ("$plan", plan), ("$migration", cursor.Migration), ("$mailbox", cursor.Mailbox), ("$folder", cursor.Folder),
                ("$validity", cursor.Cursor.UidValidity), ("$next", cursor.Cursor.UidNext),
                ("$modseq", cursor.Cursor.HighestModSeq is { } modSeq ? unchecked((long)modSeq) : null), ("$updated", Time(DateTimeOffset.UtcNow)));
        }

        await transaction.CommitAsync(cancellationToken);
        return runShift == 0 && ledgerShift == 0;
    }

    public static async Task WriteFileAsync(string path, PlanStateSnapshot snapshot, string sourceLocation, string stateHash, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // Written beside and renamed: a half-written export is never mistaken for a whole one.
        var temporary = path + ".partial";
        await using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
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

    private static SqliteConnection OpenSqlite(string path, bool readOnly)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout = 30000";
        busy.ExecuteNonQuery();
        return connection;
    }

    private static SqliteCommand SqliteCommand(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = SqliteCommand(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ShiftAsync(SqliteConnection connection, SqliteTransaction transaction, string table, string column, List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        await using (var clash = SqliteCommand(connection, transaction, $"SELECT EXISTS (SELECT 1 FROM {table} WHERE {column} BETWEEN $min AND $max)", ("$min", ids.Min()), ("$max", ids.Max())))
        {
            if (Convert.ToInt64(await clash.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                return 0;
            }
        }

        await using var highest = SqliteCommand(connection, transaction, $"SELECT coalesce(max({column}), 0) FROM {table}");
        return Convert.ToInt64(await highest.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) - ids.Min() + 1;
    }

    private static string? Time(DateTimeOffset? value) => value?.UtcDateTime.ToString(SqliteTime, CultureInfo.InvariantCulture);
}
