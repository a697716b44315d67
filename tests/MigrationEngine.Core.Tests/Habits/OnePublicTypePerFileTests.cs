using System.Text.RegularExpressions;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Habits;

/// <summary>
/// One public type per file in engine/, so a newcomer finds a type by its file name: read from the sources, a file with a
/// second public top-level type fails here with its path and the type names. Internal helpers may sit beside the type
/// they serve, and parts of partial types are not counted: a type split by feature (MailKit's style) puts its parts where
/// the feature lives, such as each code's descriptor and its typed factory side by side in DiagnosticCatalog.*.cs.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class OnePublicTypePerFileTests
{
    [Fact]
    public void Every_engine_file_declares_at_most_one_public_top_level_type()
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "engine"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var crowded = files
            .Select(f => (File: Path.GetRelativePath(RepoPaths.Root, f), Types: PublicTopLevelType().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value).ToList()))
            .Where(f => f.Types.Count > 1)
            .Select(f => $"{f.File}: {string.Join(", ", f.Types)}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(files.Count > 200, $"only {files.Count} engine files found: the scan is broken");
        Assert.True(crowded.Count == 0, "move each public type into a file named after it:\n" + string.Join("\n", crowded));
    }

    // Top level in a file-scoped namespace: the declaration starts in column 0.
    [GeneratedRegex(@"^public\s+(?:(?:sealed|static|abstract|readonly|ref)\s+)*(?:class|record|struct|enum|interface)\s+(?:(?:class|struct)\s+)?(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex PublicTopLevelType();
}
