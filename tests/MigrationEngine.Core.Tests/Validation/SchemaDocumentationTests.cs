using MigrationEngine.Core.Validation;
using Newtonsoft.Json.Linq;

namespace MigrationEngine.Core.Tests.Validation;

/// <summary>What editors show from the schema: an $id, and a description on every property (defaults where the engine has one).</summary>
[Trait("Category", "Server")]
public sealed class SchemaDocumentationTests
{
    private static readonly JObject Schema = JObject.Parse(PlanSchema.Json);

    [Fact]
    public void The_schema_has_an_id()
    {
        Assert.Equal("https://migration-engine.invalid/schemas/migration-plan.v1.schema.json", (string?)Schema["$id"]);
    }

    [Fact]
    public void Every_property_has_a_description()
    {
        var properties = Properties(Schema, "#").ToList();
        Assert.True(properties.Count > 120, $"only {properties.Count} properties found");
        var undocumented = properties.Where(p => string.IsNullOrWhiteSpace((string?)p.Node["description"])).Select(p => p.Path).ToList();
        Assert.True(undocumented.Count == 0, "no description: " + string.Join(", ", undocumented));
    }

    [Theory]
    [InlineData("migration", "passes", 1)]
    [InlineData("migration", "engine", "engine")]
    [InlineData("migration", "labelCopies", "each")]
    [InlineData("imapEndpoint", "tls", "implicit")]
    [InlineData("imapEndpoint", "preset", "generic")]
    [InlineData("graphTarget", "cloud", "global")]
    [InlineData("mboxSource", "layout", "folders")]
    [InlineData("pstSource", "engine", "readpst")]
    public void Defaults_are_the_engines(string definition, string property, object expected)
    {
        var node = Schema["definitions"]![definition]!["properties"]![property]!;
        Assert.Equal(expected.ToString(), node["default"]!.ToString());
    }

    /// <summary>The defaults the Validate stage applies, as the schema announces them to editors.</summary>
    [Fact]
    public void Concurrency_and_timeout_defaults_match_the_model()
    {
        var concurrency = Schema["definitions"]!["migration"]!["properties"]!["concurrency"]!["properties"]!;
        var model = new Model.ConcurrencyLimits();
        Assert.Equal(model.Mailboxes, (int)concurrency["mailboxes"]!["default"]!);
        Assert.Equal(model.ConnectionsPerMailbox, (int)concurrency["connectionsPerMailbox"]!["default"]!);
        var timeouts = Schema["definitions"]!["imapEndpoint"]!["properties"]!["timeouts"]!["properties"]!;
        var defaults = new Model.ConnectionTimeouts();
        Assert.Equal(defaults.ConnectSeconds, (int)timeouts["connect"]!["default"]!);
        Assert.Equal(defaults.GreetingSeconds, (int)timeouts["greeting"]!["default"]!);
        Assert.Equal(defaults.TlsSeconds, (int)timeouts["tls"]!["default"]!);
        Assert.Equal(defaults.CommandSeconds, (int)timeouts["command"]!["default"]!);
        Assert.Equal(new Model.MigrationDefinition { Name = "m", Type = Model.MigrationType.Imap, From = "a", To = "b", Location = default, CanonicalSettings = "{}" }.Passes,
            (int)Schema["definitions"]!["migration"]!["properties"]!["passes"]!["default"]!);
    }

    private static IEnumerable<(string Path, JToken Node)> Properties(JToken node, string path)
    {
        if (node is not JObject obj)
        {
            yield break;
        }

        if (obj["properties"] is JObject properties)
        {
            foreach (var (name, child) in properties)
            {
                yield return ($"{path}.{name}", child!);
                foreach (var nested in Properties(child!, $"{path}.{name}"))
                {
                    yield return nested;
                }
            }
        }

        if (obj["items"] is JObject items)
        {
            foreach (var nested in Properties(items, path + "[]"))
            {
                yield return nested;
            }
        }

        if (obj["definitions"] is JObject definitions)
        {
            foreach (var (name, child) in definitions)
            {
                foreach (var nested in Properties(child!, name))
                {
                    yield return nested;
                }
            }
        }
    }
}
