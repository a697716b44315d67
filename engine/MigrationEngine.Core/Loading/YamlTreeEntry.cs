namespace MigrationEngine.Core.Loading;

/// <summary>One key/value pair of a mapping; comments written above the key travel with it when the formatter reorders.</summary>
public sealed class YamlTreeEntry(YamlTreeScalar key, YamlTreeNode value)
{
    public YamlTreeScalar Key { get; } = key;

    public YamlTreeNode Value { get; internal set; } = value;

    public List<string> LeadingComments { get; } = [];

    public string? TrailingComment { get; internal set; }
}
