using System.Text;
using System.Text.Json;

namespace MigrationEngine.Core.Planning;

/// <summary>
/// The JSON form of a plan, written token by token and handed to the output in chunks: a 50,000-mailbox plan is tens of
/// megabytes of JSON, which building as one document (a node tree, then one string) held in memory several times over.
/// The document is the one <see cref="PlanRenderer.Json"/> describes (same fields, same order, same bytes).
/// </summary>
public static class PlanJsonWriter
{
    /// <summary>Bytes gathered before they are passed on to the output.</summary>
    private const int ChunkBytes = 64 * 1024;

    public static void Write(TextWriter output, PlanResult result, string displayPath)
    {
        var buffer = new MemoryStream(ChunkBytes * 2);
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true });

        void Drain(bool force)
        {
            json.Flush();
            if (force || buffer.Length >= ChunkBytes)
            {
                // Flushed at token boundaries, so a chunk never ends inside a UTF-8 sequence.
                output.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
                buffer.SetLength(0);
            }
        }

        json.WriteStartObject();
        json.WriteString("format_version", PlanRenderer.FormatVersion);
        json.WriteString("plan", result.Plan.Name);
        json.WriteString("file", displayPath);
        json.WriteString("plan_hash", result.Plan.ContentHash);
        json.WriteString("state_hash", result.StateHash);
        json.WriteStartObject("counts");
        json.WriteNumber("create", result.Count(PlannedAction.Create));
        json.WriteNumber("rerun", result.Count(PlannedAction.Rerun));
        json.WriteNumber("unchanged", result.Count(PlannedAction.Unchanged));
        json.WriteNumber("cannot_evaluate", result.Count(PlannedAction.CannotEvaluate));
        json.WriteEndObject();
        json.WriteStartArray("steps");
        foreach (var planned in result.Steps)
        {
            json.WriteStartObject();
            json.WriteString("id", planned.Step.Id);
            json.WriteString("kind", planned.Step.KindText);
            json.WriteString("migration", planned.Step.Migration);
            WriteNullable(json, "mailbox", planned.Step.Mailbox);
            json.WriteString("action", PlanRenderer.Word(planned.Action));
            WriteNullable(json, "reason", planned.Reason);
            json.WriteString("input_hash", planned.Step.InputHash);
            json.WriteEndObject();
            Drain(false);
        }

        json.WriteEndArray();
        if (result.ShowsRefresh)
        {
            var refresh = result.Refresh!;
            json.WriteStartObject("refresh");
            json.WriteNumber("pending_messages", refresh.PendingMessages);
            json.WriteNumber("vanished", refresh.Vanished);
            json.WriteStartArray("mailboxes");
            foreach (var mailbox in refresh.Mailboxes.Where(m => m.State != RefreshState.NeverCopied))
            {
                json.WriteStartObject();
                json.WriteString("migration", mailbox.Migration);
                json.WriteString("mailbox", mailbox.Mailbox);
                json.WriteString("state", RefreshWords.Of(mailbox.State));
                json.WriteNumber("pending_messages", mailbox.PendingMessages);
                json.WriteNumber("folders_changed", mailbox.FoldersChanged);
                json.WriteBoolean("flag_changes", mailbox.FlagChanges);
                json.WriteNumber("vanished", mailbox.Vanished);
                WriteNullable(json, "note", mailbox.Note);
                json.WriteEndObject();
                Drain(false);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        Drain(true);
        output.Write('\n');
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
