namespace MigrationEngine.Core.Loading;

public sealed class YamlTreeSequenceItem(YamlTreeNode value)
{
    public YamlTreeNode Value { get; } = value;

    public List<string> LeadingComments { get; } = [];

    public string? TrailingComment { get; internal set; }
}
