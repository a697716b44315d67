using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Forecast;

/// <summary>The text and Markdown forms of a forecast (golden-tested with a fixed start).</summary>
public static class ForecastRenderer
{
    /// <summary>Mailboxes the Markdown lists (the longest); the text lists all.</summary>
    public const int MarkdownMailboxes = 20;

    public static string Label(BindingLimit limit, TransferRate rate) => limit switch
    {
        BindingLimit.GmailDailyQuota => "Gmail quota 2,500 MB/day",
        BindingLimit.GraphUploadWindow => "Graph 150 MB / 5 min",
        BindingLimit.GraphRequestWindow => "Graph 10,000 requests / 10 min",
        BindingLimit.TransferRate => rate.Measured ? "measured rate" : "default rate",
        _ => "-",
    };

    public static string Text(PlanForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        var text = new StringBuilder();
        Head(text, forecast);
        text.AppendLine();
        string[] header = ["MIGRATION", "MAILBOXES", "MESSAGES", "SIZE", "BINDING", "DURATION", "RANGE", "ENDS AFTER", "COMPLETEAFTER"];
        Table(text, header, forecast.Migrations.Select(w => WaveCells(w, forecast)).ToList(), markdown: false);
        text.AppendLine();
        text.AppendLine(CriticalPath(forecast));
        if (forecast.Mailboxes.Count > 0)
        {
            text.AppendLine();
            Table(text, MailboxHeader, Longest(forecast).Select(m => MailboxCells(m, forecast.Rate)).ToList(), markdown: false);
        }

        return text.ToString();
    }

    public static string Markdown(PlanForecast forecast, string planPath)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Forecast of `{Path.GetFileName(planPath)}` (plan {forecast.Plan})");
        text.AppendLine();
        Head(text, forecast);
        text.AppendLine();
        Table(text, ["Migration", "Mailboxes", "Messages", "Size", "Binding", "Duration", "Range", "Ends after", "completeAfter"],
            forecast.Migrations.Select(w => WaveCells(w, forecast)).ToList(), markdown: true);
        text.AppendLine();
        text.AppendLine(CriticalPath(forecast));
        var longest = Longest(forecast).Take(MarkdownMailboxes).ToList();
        if (longest.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"The {longest.Count} longest of {forecast.Mailboxes.Count:N0} mailboxes:");
            text.AppendLine();
            Table(text, MailboxHeader.Select(TitleCase).ToArray(), longest.Select(m => MailboxCells(m, forecast.Rate)).ToList(), markdown: true);
        }

        return text.ToString();
    }

    private static readonly string[] MailboxHeader = ["MIGRATION", "SOURCE", "MESSAGES", "SIZE", "BINDING", "DURATION", "RANGE", "ACTUAL"];

    /// <summary>The text table's header as the Markdown tables write theirs: MESSAGES becomes Messages.</summary>
    private static string TitleCase(string header) => header[..1] + header[1..].ToLowerInvariant();

    private static IEnumerable<MailboxForecast> Longest(PlanForecast forecast) =>
        forecast.Mailboxes.OrderByDescending(m => m.Duration.Expected).ThenBy(m => m.Migration, StringComparer.Ordinal).ThenBy(m => m.Source, StringComparer.Ordinal);

    private static void Head(StringBuilder text, PlanForecast forecast)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"Forecast from {forecast.StartsAt.UtcDateTime:yyyy-MM-dd HH:mm}Z: {forecast.Mailboxes.Count:N0} mailbox(es), {forecast.Mailboxes.Sum(m => m.Messages):N0} messages, {Executor.FormatSize(forecast.Mailboxes.Sum(m => m.Bytes))}; the plan ends after {ForecastCalculator.Format(forecast.Total.Expected)} ({Range(forecast.Total)}).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Rates: {forecast.Rate.Basis}. Gmail's quota and Graph's windows are the published limits.");
    }

    private static string CriticalPath(PlanForecast forecast) => forecast.CriticalPath.Count == 0
        ? "Critical path: nothing to move."
        : $"Critical path: {string.Join(" -> ", forecast.CriticalPath)} (dependsOn), ends after {ForecastCalculator.Format(forecast.Total.Expected)}.";

    private static string[] WaveCells(MigrationForecast wave, PlanForecast forecast) =>
    [
        wave.Migration,
        wave.Unknown == 0 ? wave.Mailboxes.ToString("N0", CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{wave.Mailboxes:N0} ({wave.Unknown:N0} unknown)"),
        wave.Messages.ToString("N0", CultureInfo.InvariantCulture), Executor.FormatSize(wave.Bytes), Label(wave.Binding, forecast.Rate),
        ForecastCalculator.Format(wave.Duration.Expected), Range(wave.Duration), ForecastCalculator.Format(wave.End.Expected),
        wave.CompleteAfter is not { } due ? "-" : (forecast.StartsAt + wave.End.High <= due ? "met" : forecast.StartsAt + wave.End.Low > due ? "missed" : "at risk") + $" ({due.UtcDateTime:yyyy-MM-dd HH:mm}Z)",
    ];

    private static string[] MailboxCells(MailboxForecast mailbox, TransferRate rate) =>
    [
        mailbox.Migration, mailbox.Source, mailbox.Messages.ToString("N0", CultureInfo.InvariantCulture), Executor.FormatSize(mailbox.Bytes),
        Label(mailbox.Binding, rate), ForecastCalculator.Format(mailbox.Duration.Expected), Range(mailbox.Duration),
        mailbox.Actual is { } actual ? ForecastCalculator.Format(actual) : "-",
    ];

    private static string Range(DurationRange range) => $"{ForecastCalculator.Format(range.Low)} .. {ForecastCalculator.Format(range.High)}";

    private static void Table(StringBuilder text, string[] header, IReadOnlyList<string[]> rows, bool markdown)
    {
        if (markdown)
        {
            text.AppendLine("| " + string.Join(" | ", header) + " |");
            text.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
            foreach (var row in rows)
            {
                text.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
            }

            return;
        }

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        text.AppendLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary>The JSON form (<c>plan --forecast -o json</c>).</summary>
    public static string Json(PlanForecast forecast)
    {
        static JsonObject Range(DurationRange range) => new()
        {
            ["expected_s"] = (long)range.Expected.TotalSeconds, ["low_s"] = (long)range.Low.TotalSeconds, ["high_s"] = (long)range.High.TotalSeconds,
        };
        string Binding(BindingLimit limit) => JsonNamingPolicy.SnakeCaseLower.ConvertName(limit.ToString());
        var root = new JsonObject
        {
            ["format_version"] = "1",
            ["plan"] = forecast.Plan,
            ["starts_at"] = forecast.StartsAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            ["rate"] = new JsonObject
            {
                ["measured"] = forecast.Rate.Measured, ["bytes_per_second"] = Math.Round(forecast.Rate.BytesPerSecond), ["messages_per_second"] = Math.Round(forecast.Rate.MessagesPerSecond, 2),
                ["basis"] = forecast.Rate.Basis,
            },
            ["total"] = Range(forecast.Total),
            ["critical_path"] = new JsonArray(forecast.CriticalPath.Select(m => (JsonNode)m).ToArray<JsonNode?>()),
            ["findings"] = JsonSerializer.SerializeToNode(forecast.Findings.Select(DiagnosticJson.Of).ToList()),
            ["migrations"] = new JsonArray(forecast.Migrations.Select(w => (JsonNode)new JsonObject
            {
                ["migration"] = w.Migration, ["mailboxes"] = w.Mailboxes, ["unknown"] = w.Unknown, ["messages"] = w.Messages, ["bytes"] = w.Bytes,
                ["binding"] = Binding(w.Binding), ["duration"] = Range(w.Duration), ["start"] = Range(w.Start), ["end"] = Range(w.End),
                ["complete_after"] = w.CompleteAfter?.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            }).ToArray<JsonNode?>()),
            ["mailboxes"] = new JsonArray(forecast.Mailboxes.Select(m => (JsonNode)new JsonObject
            {
                ["migration"] = m.Migration, ["source"] = m.Source, ["target"] = m.Target, ["messages"] = m.Messages, ["bytes"] = m.Bytes,
                ["binding"] = Binding(m.Binding), ["duration"] = Range(m.Duration), ["actual_s"] = m.Actual is { } actual ? (long)actual.TotalSeconds : null,
            }).ToArray<JsonNode?>()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }
}
