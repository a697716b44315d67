using System.CommandLine;
using MigrationEngine.Core;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Cli.Commands;

internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var plans = new Argument<string[]>("plans") { Description = "Plan files", Arity = ArgumentArity.OneOrMore };
        var output = Options.Output("text", "json");
        var warningsAsErrors = new Option<bool>("--warnings-as-errors") { Description = "Fail when there are warnings" };
        var resolve = new Option<bool>("--resolve")
        {
            Description = "Also resolve what apply will need, offline: env: and file: secrets, caFile, report templates, source folders",
        };
        var command = new Command("validate", "Check plans: YAML, schema, references, CSVs, Microsoft's migration rules, secrets") { plans, output, warningsAsErrors, resolve };
        command.SetAction(parse =>
        {
            var all = new List<Diagnostic>();
            foreach (var path in parse.GetValue(plans)!)
            {
                if (!File.Exists(path))
                {
                    all.Add(Diagnose.FileNotFound(SourceLocation.None(path), path, hint: "check the path"));
                    continue;
                }

                var loaded = PlanPipeline.Load(path, path);
                all.AddRange(loaded.Diagnostics);
                if (parse.GetValue(resolve) && loaded.Plan is { } plan)
                {
                    all.AddRange(Core.Checking.ReferenceResolver.Resolve(plan, Reports.ReportRenderer.BuiltinTemplates));
                }
            }

            var format = parse.GetValue(output)!;
            DiagnosticPrinter.Print(console, all, format);
            var failed = all.Exists(d => d.IsError) || (parse.GetValue(warningsAsErrors) && all.Exists(d => d.Severity == DiagnosticSeverity.Warning));
            if (!failed && format == "text")
            {
                console.Out.WriteLine($"{parse.GetValue(plans)!.Length} plan(s) valid.");
            }

            return failed ? ExitCodes.Error : ExitCodes.Success;
        });
        return command;
    }
}

internal static class FormatCommand
{
    public static Command Create(CliConsole console)
    {
        var plans = new Argument<string[]>("plans") { Description = "Plan files", Arity = ArgumentArity.OneOrMore };
        var check = new Option<bool>("--check") { Description = "Do not write; exit 1 when a file is not canonically formatted" };
        var command = new Command("fmt", "Rewrite plans in canonical form (key order, indentation, quoting; comments kept)") { plans, check };
        command.SetAction(parse =>
        {
            var exit = ExitCodes.Success;
            foreach (var path in parse.GetValue(plans)!)
            {
                if (!File.Exists(path))
                {
                    DiagnosticPrinter.Print(console, [Diagnose.FileNotFound(SourceLocation.None(path), path, hint: "check the path")], "text", false);
                    exit = ExitCodes.Error;
                    continue;
                }

                var text = File.ReadAllText(path);
                var result = Core.Formatting.PlanFormatter.Format(text, path);
                if (result.Formatted is null)
                {
                    DiagnosticPrinter.Print(console, result.Diagnostics, "text", false);
                    exit = ExitCodes.Error;
                    continue;
                }

                if (result.Formatted == text)
                {
                    continue;
                }

                if (parse.GetValue(check))
                {
                    console.Out.WriteLine($"{path}: not canonically formatted (run 'migrate fmt {path}')");
                    exit = ExitCodes.Error;
                }
                else
                {
                    File.WriteAllText(path, result.Formatted);
                    console.Out.WriteLine($"{path}: formatted");
                }
            }

            return exit;
        });
        return command;
    }
}

internal static class SchemaCommand
{
    public static Command Create(CliConsole console)
    {
        var version = new Option<string>("--version") { Description = "Plan format version", DefaultValueFactory = _ => "v1" };
        version.AcceptOnlyFromAmong("v1");
        var command = new Command("schema", "Print the JSON Schema of the plan format") { version };
        command.SetAction(_ =>
        {
            console.Out.Write(Core.Validation.PlanSchema.Json);
            return ExitCodes.Success;
        });
        return command;
    }
}
