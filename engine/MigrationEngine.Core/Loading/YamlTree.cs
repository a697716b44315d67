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

public enum YamlScalarStyle
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

public sealed class YamlTreeScalar(string value, YamlScalarStyle style, int line, int column) : YamlTreeNode(line, column)
{
    public string Value { get; } = value;

    public YamlScalarStyle Style { get; } = style;

    public bool IsPlain => Style == YamlScalarStyle.Plain;

    /// <summary>A plain empty scalar or <c>null</c>/<c>~</c> (YAML 1.2 core schema).</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";
}

/// <summary>One key/value pair of a mapping; comments written above the key travel with it when the formatter reorders.</summary>
public sealed class YamlTreeEntry(YamlTreeScalar key, YamlTreeNode value)
{
    public YamlTreeScalar Key { get; } = key;

    public YamlTreeNode Value { get; internal set; } = value;

    public List<string> LeadingComments { get; } = [];

    public string? TrailingComment { get; internal set; }
}

public sealed class YamlTreeMapping(int line, int column, bool isFlow) : YamlTreeNode(line, column)
{
    private Dictionary<string, YamlTreeEntry>? _index;

    public List<YamlTreeEntry> Entries { get; } = [];

    public bool IsFlow { get; } = isFlow;

    /// <summary>Comments after the last entry, before the mapping ends.</summary>
    public List<string> EndComments { get; } = [];

    public YamlTreeEntry? FindEntry(string key)
    {
        if (Entries.Count < 8)
        {
            foreach (var entry in Entries)
            {
                if (entry.Key.Value == key)
                {
                    return entry;
                }
            }

            return null;
        }

        if (_index is null || _index.Count != Entries.Count)
        {
            _index = new Dictionary<string, YamlTreeEntry>(StringComparer.Ordinal);
            foreach (var entry in Entries)
            {
                _index.TryAdd(entry.Key.Value, entry);
            }
        }

        return _index.GetValueOrDefault(key);
    }

    public YamlTreeNode? Get(string key) => FindEntry(key)?.Value;

    public YamlTreeScalar? GetScalar(string key) => Get(key) as YamlTreeScalar;

    public string? GetString(string key) => Get(key) is YamlTreeScalar { IsNull: false } s ? s.Value : null;

    public YamlTreeMapping? GetMapping(string key) => Get(key) as YamlTreeMapping;

    public YamlTreeSequence? GetSequence(string key) => Get(key) as YamlTreeSequence;
}

public sealed class YamlTreeSequenceItem(YamlTreeNode value)
{
    public YamlTreeNode Value { get; } = value;

    public List<string> LeadingComments { get; } = [];

    public string? TrailingComment { get; internal set; }
}

public sealed class YamlTreeSequence(int line, int column, bool isFlow) : YamlTreeNode(line, column)
{
    public List<YamlTreeSequenceItem> Items { get; } = [];

    public bool IsFlow { get; } = isFlow;

    public List<string> EndComments { get; } = [];
}

/// <summary>The parsed document: the root node (null when there are errors that prevent building it) and header comments.</summary>
public sealed class YamlTreeDocument(YamlTreeNode? root, IReadOnlyList<string> headerComments, IReadOnlyList<string> trailingComments)
{
    public YamlTreeNode? Root { get; } = root;

    /// <summary>Comments before the first key that stay at the top (for example <c># yaml-language-server: $schema=...</c>).</summary>
    public IReadOnlyList<string> HeaderComments { get; } = headerComments;

    public IReadOnlyList<string> TrailingComments { get; } = trailingComments;
}
