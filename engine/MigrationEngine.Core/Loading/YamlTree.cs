namespace MigrationEngine.Core.Loading;

/// <summary>
/// A YAML node with its position. The loader builds its own tree from parser events (rather than using
/// YamlDotNet's representation model) so that depth, aliases, duplicate keys and comments are under its control.
/// </summary>
public abstract class YamlTreeNode
{
    protected YamlTreeNode(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the node's first character.</summary>
    public int Line { get; }

    /// <summary>1-based column of the node's first character.</summary>
    public int Column { get; }
}
