using System.Globalization;
using System.Text.Json;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// Everything apply tells the operator on stderr besides Serilog's events: start, progress, reports written, problems.
/// With <c>--log-format json</c> each of them is one CLEF object (the format of the log events beside them), so the stream
/// is JSON throughout; otherwise a plain line. Writes lock the writer, as the log sink does, so lines never interleave.
/// </summary>
internal sealed class OperatorLog(TextWriter writer, bool json)
{
    public bool Json { get; } = json;

    /// <summary>A plain line, or a CLEF event named <paramref name="eventName"/> with the given fields.</summary>
    public void Write(string eventName, string text, params (string Name, object? Value)[] fields) => Emit(eventName, text, null, fields);

    /// <summary>A line with a timestamp in text mode (progress), the same event in JSON mode.</summary>
    public void WriteTimed(string eventName, string text, params (string Name, object? Value)[] fields)
    {
        if (Json)
        {
            Emit(eventName, text, null, fields);
            return;
        }

        lock (writer)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss}] {text}"));
        }
    }

    public void Diagnostic(Diagnostic diagnostic, string? suffix = null)
    {
        var text = diagnostic.ToMsBuildString() + suffix;
        Emit("diagnostic", text, diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => "Error",
            DiagnosticSeverity.Warning => "Warning",
            _ => null,
        }, [("Code", diagnostic.Code), ("File", diagnostic.File), ("Line", diagnostic.Line), ("Hint", diagnostic.Hint)]);
    }

    private void Emit(string eventName, string text, string? level, (string Name, object? Value)[] fields)
    {
        if (!Json)
        {
            lock (writer)
            {
                writer.WriteLine(text);
            }

            return;
        }

        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("@t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("@m", text);
            if (level is not null)
            {
                json.WriteString("@l", level);
            }

            json.WriteString("Event", eventName);
            foreach (var (name, value) in fields)
            {
                json.WritePropertyName(name);
                switch (value)
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case int or long:
                        json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                        break;
                    case double number:
                        json.WriteNumberValue(Math.Round(number, 3));
                        break;
                    case bool flag:
                        json.WriteBooleanValue(flag);
                        break;
                    default:
                        json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
        }

        lock (writer)
        {
            writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
    }
}
