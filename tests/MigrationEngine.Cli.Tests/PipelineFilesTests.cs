using System.CommandLine;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using MigrationEngine.TestSupport;
using YamlDotNet.RepresentationModel;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// The CI pipelines in plans/ci are documentation people copy: every <c>migrate</c> command in them must be one the CLI
/// accepts (known verb, known options, required arguments present), and they must cover the review-then-apply flow.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class PipelineFilesTests
{
    public static TheoryData<string> PipelineFiles => new() { "github-actions.yml", "azure-pipelines.yml" };

    [Theory]
    [MemberData(nameof(PipelineFiles))]
    public void Pipeline_covers_validate_fmt_diff_plan_on_pull_requests_and_apply_of_the_saved_plan(string file)
    {
        var commands = MigrateCommands(file).Select(c => string.Join(' ', c)).ToList();

        Assert.Contains(commands, c => c.StartsWith("migrate validate ", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("migrate fmt --check ", StringComparison.Ordinal));
        Assert.Contains(commands, c => Regex.IsMatch(c, @"^migrate diff --git \S+\.\.HEAD \S+ --output markdown$"));
        Assert.Contains(commands, c => c.StartsWith("migrate plan ", StringComparison.Ordinal) && c.Contains("--out plan.json --output markdown", StringComparison.Ordinal));
        Assert.Contains(commands, c => Regex.IsMatch(c, @"^migrate apply \S*plan\.json( |$)"));
    }

    [Theory]
    [MemberData(nameof(PipelineFiles))]
    public async Task Every_migrate_command_in_the_pipeline_parses_with_the_real_command_line(string file)
    {
        var root = RealRootCommand();
        foreach (var command in MigrateCommands(file))
        {
            var args = command.Skip(1).ToArray();

            // The verb is the real CLI's (its own usage line, not the root's help)...
            var stdout = new StringWriter();
            var exit = await CliApp.RunAsync([args[0], "--help"], stdout, TextWriter.Null);
            Assert.True(exit == 0 && Regex.IsMatch(stdout.ToString(), $@"Usage:\s+\S+ {Regex.Escape(args[0])}\b"), $"{file}: '{args[0]}' is not a migrate command");

            // ...and the whole line parses: --help would hide unknown options and missing arguments, so parse without it.
            var parse = root.Parse(args);
            Assert.True(parse.Errors.Count == 0, $"{file}: '{string.Join(' ', command)}': {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    [Theory]
    [MemberData(nameof(PipelineFiles))]
    public void Pipeline_names_no_package_registry_host_and_keeps_passwords_out_of_urls(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "plans", "ci", file));

        Assert.DoesNotMatch(@"https?://", text);
        Assert.DoesNotMatch(@"postgres(ql)?://[^\s@/]+:[^\s@/]+@", text);
    }

    /// <summary>
    /// The root command of the real CLI: every command factory of the CLI assembly (<c>XCommand.Create(CliConsole)</c>),
    /// which is what <see cref="CliApp"/> registers. Parsing with it runs nothing.
    /// </summary>
    internal static RootCommand RealRootCommand()
    {
        var console = new CliConsole(TextWriter.Null, TextWriter.Null);
        var root = new RootCommand("migrate");
        var factories = typeof(CliApp).Assembly.GetTypes()
            .Where(t => t.Namespace == "MigrationEngine.Cli.Commands" && t.IsAbstract && t.IsSealed)
            .Select(t => t.GetMethod("Create", BindingFlags.Public | BindingFlags.Static, [typeof(CliConsole)]))
            .Where(m => m is not null && typeof(Command).IsAssignableFrom(m.ReturnType));
        foreach (var factory in factories)
        {
            root.Subcommands.Add((Command)factory!.Invoke(null, [console])!);
        }

        return root;
    }

    /// <summary>Every <c>migrate ...</c> command in the run/script/bash steps, tokenized as the shell would, variables replaced by placeholders.</summary>
    internal static List<string[]> MigrateCommands(string file)
    {
        var path = Path.Combine(RepoPaths.Root, "plans", "ci", file);
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var scripts = new List<string>();
        Collect(yaml.Documents[0].RootNode, scripts);
        var commands = new List<string[]>();
        foreach (var script in scripts)
        {
            foreach (var line in script.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
            {
                var trimmed = line.Trim();
                if (!trimmed.StartsWith("migrate ", StringComparison.Ordinal))
                {
                    continue;
                }

                commands.Add(Tokenize(ShellCommandPart(Placeholders(trimmed))));
            }
        }

        Assert.NotEmpty(commands);
        return commands;
    }

    private static void Collect(YamlNode node, List<string> scripts)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: "run" or "script" or "bash" } && value is YamlScalarNode { Value: { } script })
                    {
                        scripts.Add(script);
                    }
                    else
                    {
                        Collect(value, scripts);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children)
                {
                    Collect(child, scripts);
                }

                break;
        }
    }

    private static string Placeholders(string line) =>
        ShellVariable().Replace(AzureMacro().Replace(GitHubExpression().Replace(line, "main"), "X"), "X");

    /// <summary>The command before any redirection, pipe or list operator.</summary>
    private static string ShellCommandPart(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is '>' or '|' or ';' or '&')
            {
                return line[..i].Trim();
            }
        }

        return line;
    }

    private static string[] Tokenize(string command)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quote = '\0';
        var inToken = false;
        foreach (var c in command)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inToken = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }

        if (inToken)
        {
            tokens.Add(current.ToString());
        }

        return [.. tokens];
    }

    [GeneratedRegex(@"\$\{\{[^}]*\}\}")]
    private static partial Regex GitHubExpression();

    [GeneratedRegex(@"\$\([A-Za-z_.]+\)")]
    private static partial Regex AzureMacro();

    [GeneratedRegex(@"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")]
    private static partial Regex ShellVariable();
}
