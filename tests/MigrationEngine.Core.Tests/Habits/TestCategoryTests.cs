using System.Text.RegularExpressions;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Habits;

/// <summary>
/// Every test class says whether it is a unit test (in-process, no server, no child process) or a server-backed one, so
/// <c>dotnet test --filter Category=Unit</c> runs the fast ones alone: read from the sources, so a new class without the
/// trait fails here with its file and name.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class TestCategoryTests
{
    [Fact]
    public void Every_test_class_carries_a_category_trait()
    {
        var classes = new List<(string File, string Name, bool Abstract, string? Base, bool HasTests, bool HasTrait)>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests"), "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            var declarations = Declaration().Matches(text);
            for (var i = 0; i < declarations.Count; i++)
            {
                var match = declarations[i];
                var body = text[match.Index..(i + 1 < declarations.Count ? declarations[i + 1].Index : text.Length)];
                var attributes = text[..match.Index].Split('\n').Reverse().Skip(1).TakeWhile(line => line.TrimStart().StartsWith('[')).ToList();
                classes.Add((Path.GetRelativePath(RepoPaths.Root, file), match.Groups["name"].Value, match.Groups["modifiers"].Value.Contains("abstract", StringComparison.Ordinal),
                    match.Groups["base"].Success ? match.Groups["base"].Value : null, TestMethod().IsMatch(body),
                    attributes.Any(a => a.Contains("Trait(\"Category\", \"Unit\")", StringComparison.Ordinal) || a.Contains("Trait(\"Category\", \"Server\")", StringComparison.Ordinal))));
            }
        }

        // A class of tests is one that declares them, or derives from an abstract class that does (a contract run per store).
        var abstractWithTests = classes.Where(c => c.Abstract && c.HasTests).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var testClasses = classes.Where(c => !c.Abstract && (c.HasTests || (c.Base is not null && abstractWithTests.Contains(c.Base))))
            .GroupBy(c => (c.File.Split(Path.DirectorySeparatorChar)[1], c.Name));
        var missing = testClasses.Where(g => !classes.Any(c => c.Name == g.Key.Name && c.HasTrait && c.File.Split(Path.DirectorySeparatorChar)[1] == g.Key.Item1))
            .Select(g => $"{g.First().File}: {g.Key.Name}").Order(StringComparer.Ordinal).ToList();

        Assert.True(testClasses.Count() > 50, $"only {testClasses.Count()} test classes found: the scan is broken");
        Assert.True(missing.Count == 0, "add [Trait(\"Category\", \"Unit\")] or [Trait(\"Category\", \"Server\")] to:\n" + string.Join("\n", missing));
    }

    [GeneratedRegex(@"^[ \t]*(?<modifiers>(?:(?:public|internal|sealed|static|abstract|partial)\s+)*)class\s+(?<name>\w+)(?:<[^>]*>)?(?:\([^)]*\))?(?:\s*:\s*(?<base>\w+))?", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\[(Fact|Theory)\b")]
    private static partial Regex TestMethod();
}
