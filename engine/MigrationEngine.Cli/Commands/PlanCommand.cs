using MigrationEngine.Cli.Hosting;
using System.CommandLine;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Planning;

namespace MigrationEngine.Cli.Commands;

internal static class GraphCommand
{
    public static Command Create(CliConsole console)
    {
        var plan = Options.Plan();
        var format = new Option<string>("--format") { Description = "mermaid, dot or json", DefaultValueFactory = _ => "mermaid" };
        format.AcceptOnlyFromAmong("mermaid", "dot", "json");
        var command = new Command("graph", "Print the execution graph the plan compiles to") { plan, format };
        command.SetAction(parse =>
        {
            var model = PlanInput.Load(console, parse.GetValue(plan)!);
            if (model is null)
            {
                return ExitCodes.Error;
            }

            console.Out.Write(GraphRenderer.Render(PlanCompiler.Compile(model), parse.GetValue(format)!));
            return ExitCodes.Success;
        });
        return command;
    }
}

internal static class PlanCommand
{
    public static Command Create(CliConsole console)
    {
        var plan = Options.Plan();
        var output = Options.Output("text", "json", "markdown");
        var state = Options.State();
        var detailed = new Option<bool>("--detailed-exitcode") { Description = "Exit 0 when nothing would change, 2 when changes are present, 1 on error" };
        var outFile = new Option<string?>("--out") { Description = "Save the reviewed plan; 'migrate apply FILE' applies exactly it" };
        var refresh = new Option<bool>("--refresh") { Description = "Read the sources' folder counts and cursors (read-only) to show mail that arrived since the last apply; --refresh=false plans from state alone", DefaultValueFactory = _ => true };
        var refreshBudget = new Option<int>("--refresh-timeout") { Description = "Seconds the refresh may take in all; mailboxes not read by then are shown as not refreshed", DefaultValueFactory = _ => 60 };
        var full = new Option<bool>("--full") { Description = "Text and Markdown: list every step (by default they show counts per migration and per step kind, then the first changes)" };
        var forecast = new Option<bool>("--forecast") { Description = "Instead of the steps: how long each mailbox and migration will take, from the inventory in state (run 'migrate inventory' first)" };
        var forecastStart = new Option<DateTimeOffset?>("--forecast-start") { Description = "With --forecast: when the run starts (ISO 8601; default now), for completeAfter and startAfter" };
        var command = new Command("plan", "Show what apply would do, step by step, without changing anything") { plan, output, state, detailed, outFile, refresh, refreshBudget, full, forecast, forecastStart };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(plan)!;
            var format = parse.GetValue(output)!;
            var model = PlanInput.Load(console, path, format == "json" ? "json" : "text");
            if (model is null)
            {
                return ExitCodes.Error;
            }

            if (parse.GetValue(forecast))
            {
                return await ForecastCommand.RunAsync(console, model, path, parse.GetValue(state), format, parse.GetValue(forecastStart), cancellationToken);
            }

            var graph = PlanCompiler.Compile(model);
            var statePath = StateLocator.Resolve(model, parse.GetValue(state));
            Core.State.IStateStore? store = null;
            if (StateLocator.MayExist(statePath))
            {
                store = await StateLocator.OpenAsync(console, model, parse.GetValue(state), cancellationToken);
                if (store is null)
                {
                    return ExitCodes.Error;
                }
            }

            await using (store)
            {
                var result = await Planner.PlanAsync(model, graph, store, cancellationToken);
                result = result with { StateLocation = StateStoreFactory.Describe(statePath) };
                if (store is not null && parse.GetValue(refresh))
                {
                    var records = await store.GetStepsAsync(model.Name, cancellationToken);
                    var refreshed = await new SourceRefresher(store, AdapterComposition.CreateRegistry())
                        .RefreshAsync(model, graph, records, SourceRefresher.DefaultConcurrency, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(refreshBudget))), cancellationToken);
                    result = Planner.WithRefresh(result, refreshed);
                }

                // JSON is streamed (it is every step); text and Markdown summarise unless --full asks for every step.
                var everyStep = parse.GetValue(full);
                switch (format)
                {
                    case "json":
                        PlanJsonWriter.Write(console.Out, result, path);
                        break;
                    case "markdown":
                        console.Out.Write(everyStep ? PlanRenderer.Markdown(result, path) : PlanSummaryRenderer.Markdown(result, path));
                        break;
                    default:
                        console.Out.Write(everyStep ? PlanRenderer.Text(result, path) : PlanSummaryRenderer.Text(result, path));
                        break;
                }

                if (parse.GetValue(outFile) is { } saved)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(saved))!);
                    await File.WriteAllTextAsync(saved, SavedPlan.From(result, saved, parse.GetValue(state) is { } fileState && !StateStoreFactory.IsPostgres(fileState) ? fileState : null).ToJson(), cancellationToken);
                    console.Error.WriteLine($"Saved plan to {saved}. Apply exactly this plan with: migrate apply {saved}");
                }

                return parse.GetValue(detailed) && result.HasChanges ? ExitCodes.UsageOrChanges : ExitCodes.Success;
            }
        });
        return command;
    }
}
