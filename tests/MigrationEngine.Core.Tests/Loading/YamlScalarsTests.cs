using MigrationEngine.Core.Loading;
using MigrationEngine.TestSupport;
using Newtonsoft.Json.Linq;

namespace MigrationEngine.Core.Tests.Loading;

/// <summary>
/// Binding and the rules type YAML scalars without Newtonsoft.Json (<see cref="YamlScalars"/>), so that a command reading a
/// plan text found valid before never loads NJsonSchema or Newtonsoft.Json: the typing is the one the schema validation sees,
/// and only the schema's own files name those libraries.
/// </summary>
[Trait("Category", "Unit")]
public sealed class YamlScalarsTests
{
    [Theory]
    [InlineData("", YamlScalarStyle.Plain, "Null")]
    [InlineData("~", YamlScalarStyle.Plain, "Null")]
    [InlineData("null", YamlScalarStyle.Plain, "Null")]
    [InlineData("true", YamlScalarStyle.Plain, "Boolean")]
    [InlineData("FALSE", YamlScalarStyle.Plain, "Boolean")]
    [InlineData("yes", YamlScalarStyle.Plain, "String")]
    [InlineData("on", YamlScalarStyle.Plain, "String")]
    [InlineData("143", YamlScalarStyle.Plain, "Integer")]
    [InlineData("-7", YamlScalarStyle.Plain, "Integer")]
    [InlineData("0x1F", YamlScalarStyle.Plain, "Integer")]
    [InlineData("0o17", YamlScalarStyle.Plain, "Integer")]
    [InlineData("0o19", YamlScalarStyle.Plain, "String")]
    [InlineData("99999999999999999999", YamlScalarStyle.Plain, "Float")]
    [InlineData("1.5", YamlScalarStyle.Plain, "Float")]
    [InlineData("1e3", YamlScalarStyle.Plain, "Float")]
    [InlineData(".", YamlScalarStyle.Plain, "String")]
    [InlineData("143", YamlScalarStyle.DoubleQuoted, "String")]
    [InlineData("true", YamlScalarStyle.SingleQuoted, "String")]
    [InlineData("null", YamlScalarStyle.DoubleQuoted, "String")]
    [InlineData("imap.example.com", YamlScalarStyle.Plain, "String")]
    public void A_scalar_is_typed_as_the_schema_validation_types_it(string text, YamlScalarStyle style, string type)
    {
        var expected = Enum.Parse<YamlScalarType>(type);
        var scalar = new YamlTreeScalar(text, style, 1, 1);
        Assert.Equal(expected, YamlScalars.TypeOf(scalar));

        var token = YamlJson.ScalarValue(scalar);
        var tokenType = expected switch
        {
            YamlScalarType.Null => JTokenType.Null,
            YamlScalarType.Boolean => JTokenType.Boolean,
            YamlScalarType.Integer => JTokenType.Integer,
            YamlScalarType.Float => JTokenType.Float,
            _ => JTokenType.String,
        };
        Assert.Equal(tokenType, token.Type);
        YamlScalars.Classify(scalar, out var integer, out var number);
        switch (expected)
        {
            case YamlScalarType.Boolean:
                Assert.Equal((bool)token, YamlScalars.IsTrue(scalar));
                break;
            case YamlScalarType.Integer:
                Assert.Equal((long)token, integer);
                break;
            case YamlScalarType.Float:
                Assert.Equal((double)token, number);
                break;
        }
    }

    [Fact]
    public void Only_the_schema_validation_names_the_json_schema_libraries()
    {
        string[] allowed = ["PlanSchema.cs", "SchemaValidator.cs", "MailboxItemsFastPath.cs", "YamlJson.cs"];
        var found = Directory.EnumerateFiles(RepoPaths.Of("engine"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !allowed.Contains(Path.GetFileName(f)))
            .Where(f => File.ReadLines(f).Any(line => line.StartsWith("using Newtonsoft", StringComparison.Ordinal)
                || line.StartsWith("using NJsonSchema", StringComparison.Ordinal) || line.Contains("Newtonsoft.Json.Linq.", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f))
            .ToList();

        Assert.Empty(found);
    }
}
