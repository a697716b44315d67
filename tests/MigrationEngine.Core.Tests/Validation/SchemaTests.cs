using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Validation;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Validation;

[Trait("Category", "Unit")]
public class SchemaTests
{
    [Fact]
    public void Embedded_schema_is_the_file_in_the_repository()
    {
        var file = File.ReadAllText(Path.Combine(RepoPaths.Root, "schemas", "migration-plan.v1.schema.json"));

        Assert.Equal(file.ReplaceLineEndings("\n"), PlanSchema.Json.ReplaceLineEndings("\n"));
        Assert.Contains("\"additionalProperties\": false", PlanSchema.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Mailbox_fast_path_gives_the_same_diagnostics_as_the_schema()
    {
        const string plan = """
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: x
            spec:
              sources:
                old:
                  type: imap
                  host: h
              targets:
                t:
                  type: maildir
                  path: out
              mailboxSets:
                s:
                  mailboxes:
                    - source: a@example.org
                      target: a@contoso.com
                      pasword: env:X
                      userRoot: 5
                    - target: b@contoso.com
                    - source: ''
                      target: [x]
                      password: ''
                    - just-a-string
                    - source: c@example.org
                      target: c@contoso.com
                      username: null
              migrations:
                - name: m
                  type: imap
                  from: old
                  to: t
                  mailboxSets: [s]
            """;

        var fast = Validate(plan, fastPath: true);
        var schema = Validate(plan, fastPath: false);

        Assert.Equal(schema, fast);
        Assert.Equal(8, fast.Count);
    }

    private static List<string> Validate(string text, bool fastPath)
    {
        var diagnostics = new DiagnosticBag();
        var document = YamlTreeReader.Parse(text, "plan.yaml", diagnostics);
        var previous = SchemaValidator.UseMailboxFastPath;
        try
        {
            SchemaValidator.UseMailboxFastPath = fastPath;
            SchemaValidator.Validate(document!.Root!, "plan.yaml", diagnostics);
        }
        finally
        {
            SchemaValidator.UseMailboxFastPath = previous;
        }

        return diagnostics.ToSortedList().Select(d => d.ToMsBuildString()).ToList();
    }

    [Theory]
    [InlineData("35MB", 35L * 1024 * 1024)]
    [InlineData("35MiB", 35L * 1024 * 1024)]
    [InlineData("1.5GB", 3L * 512 * 1024 * 1024)]
    [InlineData("512KB", 512L * 1024)]
    [InlineData("100B", 100L)]
    public void Sizes_use_binary_units(string text, long bytes)
    {
        Assert.True(ValueParsers.TryParseSize(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("user@example.org", true)]
    [InlineData("first.last+tag@sub.example.co.uk", true)]
    [InlineData("user@example", false)]
    [InlineData("user@@example.org", false)]
    [InlineData("us er@example.org", false)]
    [InlineData("user@-example.org", false)]
    [InlineData("@example.org", false)]
    [InlineData("user.@example.org", false)]
    public void Email_addresses(string address, bool valid)
    {
        Assert.Equal(valid, ValueParsers.IsValidEmail(address));
    }

    [Theory]
    [InlineData("hots", "did you mean 'host'?")]
    [InlineData("mailboxsets", "did you mean 'mailboxSets'?")]
    [InlineData("completely-different", null)]
    public void Suggestions_use_edit_distance(string written, string? expected)
    {
        Assert.Equal(expected, Suggestions.DidYouMean(written, ["host", "port", "mailboxSets", "tls"]));
    }
}
