namespace MigrationEngine.Core.Loading;

/// <summary>The parsed document: the root node (null when there are errors that prevent building it) and header comments.</summary>
public sealed class YamlTreeDocument(YamlTreeNode? root, IReadOnlyList<string> headerComments, IReadOnlyList<string> trailingComments)
{
    public YamlTreeNode? Root { get; } = root;

    /// <summary>Comments before the first key that stay at the top (for example <c># yaml-language-server: $schema=...</c>).</summary>
    public IReadOnlyList<string> HeaderComments { get; } = headerComments;

    public IReadOnlyList<string> TrailingComments { get; } = trailingComments;
}
