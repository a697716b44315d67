using System.Text.RegularExpressions;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Validation;

[Trait("Category", "Unit")]
public partial class DiagnosticsDocTests
{
    private static string Doc => File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "diagnostics.md"));

    [Fact]
    public void Every_catalog_code_is_documented()
    {
        var doc = Doc;

        var missing = DiagnosticCatalog.All.Where(d => !doc.Contains($"| {d.Code} |", StringComparison.Ordinal)).Select(d => d.Code).ToList();

        Assert.True(missing.Count == 0,
            $"docs/diagnostics.md has no table row for {string.Join(", ", missing)}. Whoever adds a DiagnosticDescriptor to " +
            "DiagnosticCatalog must add a row '| MIGxxxx | severity | title | meaning and fix |' to docs/diagnostics.md.");
    }

    [Fact]
    public void Catalog_codes_are_unique_and_well_formed()
    {
        var codes = DiagnosticCatalog.All.Select(d => d.Code).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.Matches("^MIG[0-9]{4}$", c));
    }

    [Fact]
    public void Plan_language_codes_stay_in_their_range()
    {
        var planCodes = typeof(DiagnosticCatalog).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .Where(d => string.CompareOrdinal(d.Code, "MIG0500") < 0)
            .ToList();

        Assert.True(planCodes.Count >= 60);
        Assert.All(planCodes, d => Assert.False(string.IsNullOrWhiteSpace(d.Title)));
    }

    [Fact]
    public void Every_code_has_a_typed_factory_with_one_parameter_per_placeholder()
    {
        var descriptors = typeof(DiagnosticCatalog).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .ToDictionary(f => f.Name, f => (DiagnosticDescriptor)f.GetValue(null)!, StringComparer.Ordinal);

        var wrong = descriptors
            .Where(pair =>
            {
                var factory = typeof(Diagnose).GetMethod(pair.Key);
                var placeholders = Placeholder().Matches(pair.Value.MessageFormat).Select(m => m.Value.Split(':')[0].Trim('{', '}')).Distinct().Count();

                // at, one parameter per placeholder, hint
                return factory is null || factory.ReturnType != typeof(Diagnostic) || factory.GetParameters().Length != placeholders + 2;
            })
            .Select(pair => pair.Value.Code)
            .ToList();

        Assert.True(wrong.Count == 0,
            $"{string.Join(", ", wrong)}: each DiagnosticCatalog descriptor needs a factory Diagnose.<same name>(SourceLocation at, " +
            "one named, typed parameter per placeholder, string? hint = null) in the same DiagnosticCatalog.*.cs file.");
    }

    [Fact]
    public void Every_row_explains_its_code_in_its_own_words()
    {
        var meanings = Doc.Split('\n')
            .Select(line => line.Split('|'))
            .Where(cells => cells.Length >= 6 && CodePattern().IsMatch(cells[1].Trim()))
            .ToDictionary(cells => cells[1].Trim(), cells => string.Join("|", cells[4..^1]), StringComparer.Ordinal);

        var echoes = DiagnosticCatalog.All
            .Where(d => meanings.ContainsKey(d.Code) && IsEcho(d, meanings[d.Code]))
            .Select(d => d.Code)
            .ToList();

        Assert.True(echoes.Count == 0,
            $"docs/diagnostics.md: the rows of {string.Join(", ", echoes)} only repeat the title or the message. Say in a sentence " +
            "or two what causes the diagnostic and what to do about it (a quoted 'Message: `...`' does not count).");
    }

    [Fact]
    public void Ranges_paragraph_lists_every_range_in_use()
    {
        var doc = Doc;
        var start = doc.IndexOf("Ranges:", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/diagnostics.md has no 'Ranges:' paragraph");
        var end = doc.IndexOf("\n\n", start, StringComparison.Ordinal);
        var ranges = doc[start..(end < 0 ? doc.Length : end)];

        var missing = DiagnosticCatalog.All.Select(d => d.Code[..5] + "xx").Distinct(StringComparer.Ordinal)
            .Where(range => !ranges.Contains(range, StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, $"the 'Ranges:' paragraph of docs/diagnostics.md does not name {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData("Duplicate key")]
    [InlineData("Message: `duplicate key '{0}' (first defined on line {1})`.")]
    [InlineData("Message: `duplicate key '{0}' (first defined on line {1})`. Duplicate key.")]
    [InlineData("Duplicate key '{0}' (first defined on line {1}).")]
    public void A_row_that_repeats_the_title_or_message_is_an_echo(string meaning) =>
        Assert.True(IsEcho(DiagnosticCatalog.DuplicateKey, meaning));

    [Fact]
    public void A_row_with_a_sentence_of_its_own_is_not_an_echo() =>
        Assert.False(IsEcho(DiagnosticCatalog.DuplicateKey,
            "Message: `duplicate key '{0}'`. A mapping repeats a key; YAML keeps only one value. Remove or rename the duplicate."));

    /// <summary>
    /// What is left of a row once a quoted message is taken out must be a few words of its own: not the title, and not
    /// a piece of the message format.
    /// </summary>
    private static bool IsEcho(DiagnosticDescriptor descriptor, string meaning)
    {
        var own = Normalize(Placeholder().Replace(QuotedMessage().Replace(meaning, " "), " "));
        var format = Normalize(Placeholder().Replace(descriptor.MessageFormat, " "));
        return own.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 5
               || own == Normalize(descriptor.Title)
               || format.Contains(own, StringComparison.Ordinal);
    }

    private static string Normalize(string text) =>
        string.Join(' ', NonWord().Replace(text.ToLowerInvariant(), " ").Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex("^MIG[0-9]{4}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"Message:\s*`[^`]*`[.:]?")]
    private static partial Regex QuotedMessage();

    [GeneratedRegex(@"\{[0-9]+(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("[^a-z0-9 ]")]
    private static partial Regex NonWord();
}
