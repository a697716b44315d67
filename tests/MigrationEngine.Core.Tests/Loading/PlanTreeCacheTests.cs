using System.Text;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Validation;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Loading;

[Trait("Category", "Unit")]
public sealed class PlanTreeCacheTests
{
    private const string Plan = """
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: "tree"
        spec:
          sources:
            old: {type: imap, host: 'imap.example.org', port: 993}
          targets:
            new:
              type: imap
              host: imap.example.net
          mailboxSets:
            all:
              mailboxes:
                - source: über@example.org
                  target: "ueber@example.net"
                - {source: b@example.org, target: b@example.net}
          migrations:
            - name: copy
              type: imap
              from: old
              to: new
              mailboxSets: [all]
              empty:
              tilde: ~

        """;

    public static TheoryData<string> ExamplePlans() => ExamplePlansTests.ExamplePlans();

    [Fact]
    public void A_kept_tree_is_the_parsed_tree_node_for_node()
    {
        var parsed = Parse(Plan);
        var key = SchemaValidationCache.Key(Encoding.UTF8.GetBytes(Plan));

        var bytes = PlanTreeCache.Encode(parsed, key, Plan);

        Assert.NotNull(bytes);
        Assert.Equal(Dump(parsed), Dump(PlanTreeCache.Decode(bytes, key, Plan)!));
        // Only positions, styles and lengths: no value of the plan is written (a password in it stays in the plan alone).
        Assert.DoesNotContain("example", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ExamplePlans))]
    public void Every_example_plan_kept_reads_back_as_parsed(string name)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "plans", "examples", name));
        var parsed = Parse(text);
        var key = SchemaValidationCache.Key(Encoding.UTF8.GetBytes(text));

        // A plan with a block scalar or an escape is not kept (null): that is allowed; one that is kept must read back the same.
        if (PlanTreeCache.Encode(parsed, key, text) is { } bytes)
        {
            Assert.Equal(Dump(parsed), Dump(PlanTreeCache.Decode(bytes, key, text)!));
        }
    }

    [Theory]
    [InlineData("note: |\n  two\n  lines\n")]
    [InlineData("note: >\n  folded\n")]
    [InlineData("note: 'it''s'\n")]
    [InlineData("note: \"tab\\there\"\n")]
    [InlineData("note: plain\n  continued\n")]
    public void A_scalar_not_written_verbatim_is_never_kept(string text)
    {
        var parsed = Parse(text);

        Assert.Null(PlanTreeCache.Encode(parsed, "key", text));
    }

    [Fact]
    public void Another_key_another_text_length_or_damaged_bytes_read_as_nothing()
    {
        var parsed = Parse(Plan);
        var bytes = PlanTreeCache.Encode(parsed, "key", Plan)!;

        Assert.Null(PlanTreeCache.Decode(bytes, "other", Plan));
        Assert.Null(PlanTreeCache.Decode(bytes, "key", Plan + " "));
        Assert.Null(PlanTreeCache.Decode(bytes[..^1], "key", Plan));
        Assert.Null(PlanTreeCache.Decode([.. bytes, 0], "key", Plan));
        // Any byte changed (a length, a position, the checksum itself): read as nothing, never as another tree.
        for (var i = 0; i < bytes.Length; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x01;
            Assert.Null(PlanTreeCache.Decode(damaged, "key", Plan));
        }
    }

    [Fact]
    public void The_tree_is_kept_only_where_a_migrate_folder_exists_and_a_kept_tree_loads_the_same_plan()
    {
        using var temp = new TempDirectory("plan-tree");
        var planFile = temp.Combine("plan.yaml");
        File.WriteAllText(planFile, PlanYaml.FileImport("tree", "maildir", "src", "out", ["alice@example.org"]));
        var treeFile = PlanTreeCache.PathFor(planFile);

        var first = PlanPipeline.Load(planFile, "plan.yaml");
        Assert.False(File.Exists(treeFile), "no .migrate folder: nothing written beside the plan");
        Assert.False(PlanPipeline.HasKeptTree(planFile));

        Directory.CreateDirectory(temp.Combine(".migrate"));
        var second = PlanPipeline.Load(planFile, "plan.yaml");
        Assert.True(File.Exists(treeFile));
        Assert.True(PlanPipeline.HasKeptTree(planFile));

        var third = PlanPipeline.Load(planFile, "plan.yaml");
        Assert.NotNull(first.Plan);
        Assert.Equal(first.Plan.ContentHash, third.Plan!.ContentHash);
        Assert.Equal(first.Plan.Migrations.Select(m => (m.Name, m.Type, m.From, m.To)), third.Plan.Migrations.Select(m => (m.Name, m.Type, m.From, m.To)));
        Assert.Equal(first.Diagnostics.Select(d => d.ToString()), third.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(second.Diagnostics.Select(d => d.ToString()), third.Diagnostics.Select(d => d.ToString()));

        // The plan changes: the kept tree no longer applies, and the new text is parsed (and kept).
        File.AppendAllText(planFile, "# edited\n");
        Assert.False(PlanPipeline.HasKeptTree(planFile));
        Assert.NotNull(PlanPipeline.Load(planFile, "plan.yaml").Plan);
        Assert.True(PlanPipeline.HasKeptTree(planFile));
    }

    [Fact]
    public void A_plan_with_errors_keeps_no_tree_and_reports_them_every_time()
    {
        using var temp = new TempDirectory("plan-tree");
        Directory.CreateDirectory(temp.Combine(".migrate"));
        var planFile = temp.Combine("plan.yaml");
        File.WriteAllText(planFile, "apiVersion: migration-engine/v1\nkind: MigrationPlan\nmetadata:\n  name: broken\nspec:\n  sourcez: {}\n");

        var first = PlanPipeline.Load(planFile, "plan.yaml");
        var second = PlanPipeline.Load(planFile, "plan.yaml");

        Assert.Contains(first.Diagnostics, d => d.IsError);
        Assert.Equal(first.Diagnostics.Select(d => d.ToString()), second.Diagnostics.Select(d => d.ToString()));
        Assert.False(File.Exists(PlanTreeCache.PathFor(planFile)));
    }

    private static YamlTreeMapping Parse(string text)
    {
        var diagnostics = new DiagnosticBag();
        var document = YamlTreeReader.Parse(text, "plan.yaml", diagnostics);
        Assert.Empty(diagnostics.ToSortedList());
        return Assert.IsType<YamlTreeMapping>(document!.Root);
    }

    private static string Dump(YamlTreeNode node)
    {
        var text = new StringBuilder();
        Dump(node, text, 0);
        return text.ToString();
    }

    private static void Dump(YamlTreeNode node, StringBuilder text, int depth)
    {
        text.Append(' ', depth * 2).Append(node.GetType().Name).Append(' ').Append(node.Line).Append(':').Append(node.Column);
        switch (node)
        {
            case YamlTreeScalar scalar:
                text.Append(' ').Append(scalar.Style).Append(" [").Append(scalar.Value).Append("]\n");
                break;
            case YamlTreeMapping mapping:
                text.Append(mapping.IsFlow ? " flow\n" : "\n");
                foreach (var entry in mapping.Entries)
                {
                    Dump(entry.Key, text, depth + 1);
                    Dump(entry.Value, text, depth + 2);
                }

                break;
            case YamlTreeSequence sequence:
                text.Append(sequence.IsFlow ? " flow\n" : "\n");
                foreach (var item in sequence.Items)
                {
                    Dump(item.Value, text, depth + 1);
                }

                break;
        }
    }
}
