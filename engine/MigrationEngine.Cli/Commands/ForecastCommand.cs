using MigrationEngine.Core.Forecast;
using MigrationEngine.Core.Model;

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
                console.Out.Write(ForecastRenderer.Json(forecast));
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
}
