using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MigrationEngine.Core.Forecast;
using MigrationEngine.Core.Inventory;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Commands;

/// <summary>
/// <c>migrate plan PLAN --forecast</c>: the forecast from the inventory in state (no source is read), with the rate this
/// plan's earlier runs measured and, for mailboxes already copied, forecast against actual.
/// </summary>
internal static class ForecastCommand
{
    public static async Task<int> RunAsync(CliConsole console, PlanModel model, string planPath, string? stateOption, string format, DateTimeOffset? start, CancellationToken cancellationToken)
    {
        var inputs = ForecastInputs.None;
        if (StateLocator.MayExist(StateLocator.Resolve(model, stateOption)))
        {
            await using var store = await StateLocator.OpenAsync(console, model, stateOption, cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            inputs = await ForecastInputs.LoadAsync(store, model.Name, measuredBefore: null, cancellationToken);
        }

        var forecast = ForecastCalculator.Forecast(model, inputs.Inventory, inputs.Rate, start ?? DateTimeOffset.UtcNow, inputs.Actuals);
        switch (format)
        {
            case "json":
                console.Out.Write(Json(forecast));
                break;
            case "markdown":
                console.Out.Write(ForecastRenderer.Markdown(forecast, planPath));
                DiagnosticPrinter.Print(console, forecast.Findings, "text", summaryLine: false);
                break;
            default:
                console.Out.Write(ForecastRenderer.Text(forecast));
                DiagnosticPrinter.Print(console, forecast.Findings, "text", summaryLine: false);
                break;
        }

        return ExitCodes.Success;
    }

    private static string Json(PlanForecast forecast)
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
            ["findings"] = JsonSerializer.SerializeToNode(forecast.Findings.Select(DiagnosticPrinter.JsonDiagnostic).ToList()),
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
