using System.Text.RegularExpressions;
using MigrationEngine.Core.Model;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Habits;

/// <summary>
/// Enums, not strings: the engine compares endpoint and migration types, engines, layouts, import modes, presets, TLS modes,
/// clouds and auth mechanisms as
/// enums, and the plan's words live only in <see cref="PlanVocabulary"/>. Read from the sources, so a new comparison such
/// as <c>endpoint.Type == "imap"</c>, <c>{ Type: "graph" }</c> or <c>case "cutover":</c> fails here with its file and line.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class PlanWordComparisonTests
{
    /// <summary>The words of the closed plan vocabularies that no code outside the table should compare with.</summary>
    private static readonly string[] Words =
    [
        .. PlanVocabulary.EndpointTypes.Words, .. PlanVocabulary.MigrationTypes.Words, .. PlanVocabulary.MboxLayouts.Words,
        .. PlanVocabulary.PstEngines.Words, .. PlanVocabulary.Presets.Words, .. PlanVocabulary.TlsModes.Words,
        .. PlanVocabulary.Clouds.Words, .. PlanVocabulary.AuthMechanisms.Words,
    ];

    [Fact]
    public void No_engine_code_compares_a_plan_property_with_a_plan_word()
    {
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "engine"), "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.EndsWith($"{Path.DirectorySeparatorChar}PlanVocabulary.cs", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (PropertyComparison().Match(lines[i]) is { Success: true } match && Words.Contains(match.Groups["word"].Value)
                    || SwitchOnWord().Match(lines[i]) is { Success: true } arm && Words.Contains(arm.Groups["word"].Value))
                {
                    found.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(found.Count == 0, "compare the enum (see Model/PlanVocabulary.cs) instead of the plan's word:\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_finds_the_comparisons_it_is_meant_to_find()
    {
        // Guards the guard: each form of comparison the rule forbids is matched.
        Assert.Matches(PropertyComparison(), "if (endpoint.Type == \"imap\")");
        Assert.Matches(PropertyComparison(), "source is not { Type: \"imap\", Preset: \"gmail\" }");
        Assert.Matches(PropertyComparison(), "migration.Type is \"cutover\" or \"staged\"");
        Assert.Matches(PropertyComparison(), "string.Equals(endpoint.Layout, \"takeout\", StringComparison.OrdinalIgnoreCase)");
        Assert.Matches(SwitchOnWord(), "            case \"hybrid\":");
        Assert.Matches(SwitchOnWord(), "        \"office365\" => Office365,");
        Assert.Matches(PropertyComparison(), "if (definition.Tls == \"none\" && !definition.AllowInsecure)");
        Assert.Matches(PropertyComparison(), "definition.Auth is { Mechanism: not \"password\" }");
        Assert.Matches(PropertyComparison(), "string.Equals(endpoint.Cloud, \"usgov\", StringComparison.OrdinalIgnoreCase)");
        Assert.Matches(SwitchOnWord(), "        \"starttls\" => SecureSocketOptions.StartTls,");
        Assert.DoesNotMatch(PropertyComparison(), "if (format == \"json\")");
    }

    [GeneratedRegex("""\b(Type|Engine|Layout|ImportMode|Preset|Tls|Cloud|Mechanism)\b\s*(==|!=|:(\s*not\s)?|is(\s+not)?\s*\(?|,)\s*"(?<word>[A-Za-z0-9-]+)"|Equals\([^,]*\.(Type|Engine|Layout|ImportMode|Preset|Tls|Cloud|Mechanism),\s*"(?<word>[A-Za-z0-9-]+)""")]
    private static partial Regex PropertyComparison();

    [GeneratedRegex("""(^\s*case\s+"(?<word>[A-Za-z0-9-]+)"\s*(:|when))|(^\s*"(?<word>[A-Za-z0-9-]+)"\s*=>)""")]
    private static partial Regex SwitchOnWord();
}
