namespace MigrationEngine.Core.Loading;

public sealed class YamlTreeScalar(string value, YamlScalarStyle style, int line, int column) : YamlTreeNode(line, column)
{
    public string Value { get; } = value;

    public YamlScalarStyle Style { get; } = style;

    public bool IsPlain => Style == YamlScalarStyle.Plain;

    /// <summary>A plain empty scalar or <c>null</c>/<c>~</c> (YAML 1.2 core schema).</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";
}
