namespace MigrationEngine.Core.Loading;

/// <summary>What a YAML scalar is under the YAML 1.2 core schema (see <see cref="YamlScalars"/>).</summary>
internal enum YamlScalarType
{
    Null,
    Boolean,
    Integer,
    Float,
    String,
}
