using System.CommandLine;
using System.Text.Json;
using MigrationEngine.Core;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using MigrationEngine.Cli.Hosting;

namespace MigrationEngine.Cli.Commands;

internal static class Options
{
    public static Option<string> Output(params string[] formats)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: " + string.Join(", ", formats),
            DefaultValueFactory = _ => formats[0],
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static Option<string?> State() => new("--state")
    {
        Description = "State database (default: .migrate/state.db beside the plan, or $MIGRATE_STATE)",
    };

    public static Argument<string> Plan() => new("plan")
    {
        Description = "The plan file (YAML)",
    };
}

internal static class DiagnosticPrinter
{
    public static void Print(CliConsole console, IReadOnlyList<Diagnostic> diagnostics, string format, bool summaryLine = true)
    {
        if (format == "json")
        {
            console.Out.WriteLine(JsonSerializer.Serialize(
                new
                {
                    format_version = "1",
                    errors = diagnostics.Count(d => d.IsError),
                    warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning),
                    diagnostics = diagnostics.Select(DiagnosticJson.Of),
                },
                new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        // Many of one kind in one file (rows of a large CSV) are shown ten at a time and counted.
        foreach (var line in DiagnosticGroups.TextLines(diagnostics))
        {
            console.Error.WriteLine(line);
        }

        if (summaryLine && diagnostics.Count > 0)
        {
            var errors = diagnostics.Count(d => d.IsError);
            var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
            console.Error.WriteLine($"{errors} error(s), {warnings} warning(s)");
        }
    }
}

/// <summary>Loads and validates a plan for the commands that need a valid one; prints diagnostics when it is not.</summary>
internal static class PlanInput
{
    public static PlanModel? Load(CliConsole console, string path, string format = "text")
    {
        if (!File.Exists(path))
        {
            DiagnosticPrinter.Print(console, [Diagnose.FileNotFound(SourceLocation.None(path), path,
                hint: "check the path of the plan file")], format);
            return null;
        }

        var result = PlanPipeline.Load(path, path);
        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        if (result.Plan is null || errors.Count > 0)
        {
            DiagnosticPrinter.Print(console, result.Diagnostics, format);
            return null;
        }

        return result.Plan;
    }
}

internal static class StateLocator
{
    /// <summary>The --state value, else $MIGRATE_STATE, else .migrate/state.db beside the plan. A PostgreSQL URL is kept as it is.</summary>
    public static string Resolve(PlanModel plan, string? stateOption) => Resolve(plan.PlanDirectory, stateOption);

    /// <summary>As above, from the plan file's folder (before the plan is loaded).</summary>
    public static string Resolve(string planDirectory, string? stateOption)
    {
        var chosen = stateOption
            ?? (Environment.GetEnvironmentVariable("MIGRATE_STATE") is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
        if (chosen is null)
        {
            return Path.Combine(planDirectory, ".migrate", "state.db");
        }

        return StateStoreFactory.IsPostgres(chosen) ? chosen : Path.GetFullPath(chosen);
    }

    /// <summary>True when the plan may already have state there (a server store always may; a file must exist).</summary>
    public static bool MayExist(string location) => StateStoreFactory.IsPostgres(location) || File.Exists(location);

    /// <summary>Opens the state store, or prints why it cannot be used and returns null.</summary>
    public static Task<IStateStore?> OpenAsync(CliConsole console, PlanModel plan, string? stateOption, CancellationToken cancellationToken) =>
        OpenAsync(console, Resolve(plan, stateOption), cancellationToken);

    /// <summary>Opens the state store at a resolved location, or prints why it cannot be used and returns null.</summary>
    public static async Task<IStateStore?> OpenAsync(CliConsole console, string location, CancellationToken cancellationToken)
    {
        try
        {
            return await StateStoreFactory.OpenAsync(location, cancellationToken);
        }
        catch (StateStoreException ex)
        {
            // The store's message names the file (or server, without password) and what to do.
            console.Error.WriteLine(StateStoreFactory.Unavailable(location, ex).ToMsBuildString());
            return null;
        }
    }
}
