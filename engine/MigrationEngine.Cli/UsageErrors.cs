using MigrationEngine.Core.Diagnostics;
using System.CommandLine;

namespace MigrationEngine.Cli;

/// <summary>
/// Usage errors worded for the mistake that caused them. System.CommandLine takes an unknown option in front of a
/// command's argument for the argument's value (<c>apply --bogus plan.yaml</c> would blame <c>plan.yaml</c>), and a mistyped
/// verb for an unknown argument: both are recognised here first, each with a "did you mean" from the known names.
/// </summary>
internal static class UsageErrors
{
    public static IReadOnlyList<string> Describe(RootCommand root, ParseResult parse, IReadOnlyList<string> args)
    {
        var words = args.Where(a => !IsDirective(a)).ToList();
        var command = parse.CommandResult.Command;
        if (ReferenceEquals(command, root))
        {
            var first = words.FirstOrDefault(w => !w.StartsWith('-'));
            if (first is not null && !root.Subcommands.Any(c => c.Name == first || c.Aliases.Contains(first)))
            {
                var verbs = root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
                return [Join($"unknown command '{first}'", Suggestions.DidYouMean(first, verbs))];
            }
        }

        var known = OptionNames(command).Concat(OptionNames(root)).ToHashSet(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var word in words.TakeWhile(w => w != "--"))
        {
            if (word.Length < 2 || word[0] != '-' || IsNumber(word))
            {
                continue;
            }

            var name = word.Split('=', ':')[0];
            if (!known.Contains(name))
            {
                var where = ReferenceEquals(command, root) ? "" : $" for 'migrate {CommandPath(command)}'";
                unknown.Add(Join($"unknown option '{name}'{where}",
                    Suggestions.DidYouMean(name, known.Where(k => k.StartsWith("--", StringComparison.Ordinal)))));
            }
        }

        return unknown.Count > 0 ? unknown : parse.Errors.Select(e => e.Message).ToList();
    }

    private static IEnumerable<string> OptionNames(Command command) =>
        command.Options.Where(o => !o.Hidden || o.Recursive).SelectMany(o => o.Aliases.Prepend(o.Name));

    /// <summary>The verbs from the root to <paramref name="command"/> ("state export"); empty for the root.</summary>
    public static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (var current = command; current is not null and not RootCommand; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, current.Name);
        }

        return string.Join(' ', names);
    }

    private static bool IsDirective(string word) => word.StartsWith('[') && word.EndsWith(']');

    private static bool IsNumber(string word) => double.TryParse(word, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static string Join(string message, string? hint) => hint is null ? message : $"{message}; {hint}";
}
