using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.State;

/// <summary>Reads and writes the export file: whole plan states as JSON lines.</summary>
public static class StateTransfer
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
