using System.Text;
using System.Text.Json;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Binding;

/// <summary>
/// Canonical JSON of a plan node: keys sorted (ordinal), no whitespace, YAML 1.2 scalar typing. Secret fields are
/// written as their reference (<c>env:NAME</c>) or, for literals, a short hash identity: never the secret.
/// </summary>
public static class CanonicalJson
{
    public static readonly IReadOnlySet<string> SecretKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "password", "clientSecret", "accessToken", "certificatePassword", "certificate", "keyFile",
    };

    public static string Write(YamlTreeNode node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteNode(writer, node, secret: false);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNode(Utf8JsonWriter writer, YamlTreeNode node, bool secret)
    {
        switch (node)
        {
            case YamlTreeMapping mapping:
                writer.WriteStartObject();
                foreach (var entry in mapping.Entries.OrderBy(e => e.Key.Value, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(entry.Key.Value);
                    WriteNode(writer, entry.Value, SecretKeys.Contains(entry.Key.Value));
                }

                writer.WriteEndObject();
                break;
            case YamlTreeSequence sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                {
                    WriteNode(writer, item.Value, secret: false);
                }

                writer.WriteEndArray();
                break;
            case YamlTreeScalar scalar when secret && !scalar.IsNull:
                writer.WriteStringValue(SecretReference.Parse(scalar.Value).HashIdentity);
                break;
            case YamlTreeScalar scalar:
                switch (YamlScalars.Classify(scalar, out var integer, out var number))
                {
                    case YamlScalarType.Null:
                        writer.WriteNullValue();
                        break;
                    case YamlScalarType.Boolean:
                        writer.WriteBooleanValue(YamlScalars.IsTrue(scalar));
                        break;
                    case YamlScalarType.Integer:
                        writer.WriteNumberValue(integer);
                        break;
                    case YamlScalarType.Float:
                        writer.WriteNumberValue(number);
                        break;
                    default:
                        writer.WriteStringValue(scalar.Value);
                        break;
                }

                break;
        }
    }
}
