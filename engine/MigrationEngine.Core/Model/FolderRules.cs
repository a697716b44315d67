
namespace MigrationEngine.Core.Model;

public sealed record FolderRules
{
    /// <summary>Globs (<c>*</c>, <c>?</c>, <c>**</c>) or regexes written <c>/.../</c>; empty means all.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];
    /// <summary>Source folder path to target folder path, '/' as delimiter.</summary>
    public IReadOnlyDictionary<string, string> Map { get; init; } = new Dictionary<string, string>();
}
