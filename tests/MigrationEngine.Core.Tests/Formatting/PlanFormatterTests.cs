using System.Text;
using MigrationEngine.Core.Formatting;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Formatting;

[Trait("Category", "Unit")]
public class PlanFormatterTests
{
    private static string Format(string text)
    {
        var result = PlanFormatter.Format(text, "plan.yaml");
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var again = PlanFormatter.Format(result.Formatted!, "plan.yaml");
        Assert.Equal(result.Formatted, again.Formatted);
        return result.Formatted!;
    }

    [Fact]
    public void Keys_are_reordered_with_their_comments()
    {
        const string input = """
            # yaml-language-server: $schema=../../schemas/migration-plan.v1.schema.json
            spec:
              # where mail goes
              targets:
                exo:
                  clientSecret: env:S   # from the vault
                  type: graph
                  clientId: c
                  tenantId: t
              sources:
                old:
                  port: 993
                  host: imap.example.org
                  zzz: unknown-last
                  aaa: unknown-first
                  type: imap
            kind: MigrationPlan
            metadata:
              name: x
            # the version
            apiVersion: migration-engine/v1
            """;

        var formatted = Format(input);

        Assert.Equal("""
            # yaml-language-server: $schema=../../schemas/migration-plan.v1.schema.json
            # the version
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: x
            spec:
              sources:
                old:
                  type: imap
                  host: imap.example.org
                  port: 993
                  aaa: unknown-first
                  zzz: unknown-last
              # where mail goes
              targets:
                exo:
                  type: graph
                  tenantId: t
                  clientId: c
                  clientSecret: env:S  # from the vault

            """.Replace("\r\n", "\n", StringComparison.Ordinal), formatted);
    }

    [Fact]
    public void Sequences_are_indented_under_their_key_and_flow_collections_become_blocks()
    {
        // Not a plan: unknown top-level keys sort alphabetically; keys inside unknown mappings keep their order.
        const string input = "migrations:\n- to: exo\n  name: a\n  mailboxSets: [s1, s2]\n- # about b\n  name: b\n  type: imap\nempty: []\nnone: {}\n";

        var formatted = Format(input);

        Assert.Equal(
            "empty: []\nmigrations:\n  - to: exo\n    name: a\n    mailboxSets:\n      - s1\n      - s2\n  # about b\n  - name: b\n    type: imap\nnone: {}\n",
            formatted);
    }

    [Fact]
    public void Migration_items_use_the_documented_order()
    {
        const string input = "spec:\n  migrations:\n    - mailboxSets: [s]\n      to: t\n      from: f\n      type: imap\n      name: m\n";

        var formatted = Format(input);

        Assert.Equal("spec:\n  migrations:\n    - name: m\n      type: imap\n      from: f\n      to: t\n      mailboxSets:\n        - s\n", formatted);
    }

    [Theory]
    [InlineData("a: \"plain\"\n", "a: plain\n")]
    [InlineData("a: \"123\"\n", "a: '123'\n")]
    [InlineData("a: 'true'\n", "a: 'true'\n")]
    [InlineData("a: \"on\"\n", "a: 'on'\n")]
    [InlineData("a: \"[Gmail]/Spam\"\n", "a: '[Gmail]/Spam'\n")]
    [InlineData("a: \"it's: here\"\n", "a: 'it''s: here'\n")]
    [InlineData("a: \"tab\\there\"\n", "a: \"tab\\there\"\n")]
    [InlineData("a: \"{mailbox}\"\n", "a: '{mailbox}'\n")]
    [InlineData("a: \"\"\n", "a: ''\n")]
    [InlineData("a:\n", "a:\n")]
    [InlineData("\"quoted key\": 1\n", "quoted key: 1\n")]
    [InlineData("a: |\n  line one\n  line two\n", "a: |\n  line one\n  line two\n")]
    [InlineData("a: \"one\\ntwo\"\n", "a: |-\n  one\n  two\n")]
    [InlineData("a: >\n  folded\n  text\n", "a: |\n  folded text\n")]
    public void Scalars_are_plain_unless_quoting_is_required(string input, string expected)
    {
        Assert.Equal(expected, Format(input));
    }

    [Fact]
    public void Formatting_keeps_the_meaning()
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "MigrationEngine.Core.Tests", "Baselines", "valid-full-plan", "plan.yaml");
        var original = File.ReadAllText(path);

        var formatted = Format(original);
        var before = PlanPipeline.LoadText(original, path, "plan.yaml");
        var after = PlanPipeline.LoadText(formatted, path, "plan.yaml");

        Assert.False(after.HasErrors, string.Join("\n", after.Diagnostics));
        Assert.Equal(
            before.Plan!.Sources.Values.Select(s => s.CanonicalSettings),
            after.Plan!.Sources.Values.Select(s => s.CanonicalSettings));
        Assert.Equal(
            before.Plan.Migrations.Select(m => m.CanonicalSettings),
            after.Plan.Migrations.Select(m => m.CanonicalSettings));
    }

    public static TheoryData<string> BaselinePlans()
    {
        var data = new TheoryData<string>();
        var folder = Path.Combine(RepoPaths.Root, "tests", "MigrationEngine.Core.Tests", "Baselines");
        foreach (var plan in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(plan));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BaselinePlans))]
    public void Formatting_is_idempotent_on_every_baseline_plan(string caseName)
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "MigrationEngine.Core.Tests", "Baselines", caseName, "plan.yaml");
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));

        var first = PlanFormatter.Format(text, "plan.yaml");
        if (first.Formatted is null)
        {
            Assert.Contains(first.Diagnostics, d => d.IsError);
            return;
        }

        var second = PlanFormatter.Format(first.Formatted, "plan.yaml");
        Assert.Equal(first.Formatted, second.Formatted);
        Assert.DoesNotContain(second.Diagnostics, d => d.IsError);
    }

    [Fact]
    public void Broken_yaml_gives_diagnostics_not_an_exception()
    {
        var result = PlanFormatter.Format("a: [1, 2\nb: c\n", "plans/x.yaml");

        Assert.Null(result.Formatted);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("MIG0001", diagnostic.Code);
        Assert.Equal("plans/x.yaml", diagnostic.File);
    }

    [Fact]
    public void A_comment_yamldotnet_cannot_place_gives_a_diagnostic()
    {
        // Valid YAML, but YamlDotNet's scanner fails on a comment before an indentless flow item after a flow sequence.
        var result = PlanFormatter.Format("m:\n- a: [1]\n# c\n- {b: 2}\n", "plan.yaml");

        Assert.Null(result.Formatted);
        Assert.Equal("MIG0015", Assert.Single(result.Diagnostics).Code);
        Assert.DoesNotContain(Core.PlanPipeline.LoadText("m:\n- a: [1]\n# c\n- {b: 2}\n", "plan.yaml").Diagnostics, d => d.Code == "MIG0001");
    }

    [Fact]
    public void Crlf_and_bom_input_formats_to_lf()
    {
        var result = PlanFormatter.Format("\uFEFFkind: MigrationPlan\r\napiVersion: migration-engine/v1\r\n", "plan.yaml");

        Assert.Equal("apiVersion: migration-engine/v1\nkind: MigrationPlan\n", result.Formatted);
        Assert.Equal("MIG0006", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Trailing_comments_are_kept()
    {
        var formatted = Format("a: 1\n# the end\n");

        Assert.Equal("a: 1\n# the end\n", formatted);
    }
}
