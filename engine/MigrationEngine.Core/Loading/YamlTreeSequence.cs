namespace MigrationEngine.Core.Loading;

public sealed class YamlTreeSequence(int line, int column, bool isFlow) : YamlTreeNode(line, column)
{
    public List<YamlTreeSequenceItem> Items { get; } = [];

    public bool IsFlow { get; } = isFlow;

    public List<string> EndComments { get; } = [];
}
