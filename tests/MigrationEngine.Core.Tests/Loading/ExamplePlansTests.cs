using MigrationEngine.Core.Formatting;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Loading;

[Trait("Category", "Unit")]
public class ExamplePlansTests
{
    public static TheoryData<string> ExamplePlans()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "plans", "examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExamplePlans))]
    public void Example_validates_without_errors(string name)
    {
        var path = Path.Combine(RepoPaths.Root, "plans", "examples", name);

        var result = PlanPipeline.Load(path, "plans/examples/" + name);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.NotNull(result.Plan);
        Assert.NotEmpty(result.Plan.Migrations);
        Assert.All(result.Plan.Migrations, m => Assert.NotEmpty(m.MailboxSets.SelectMany(s => result.Plan.MailboxSets[s].Mailboxes)));
    }

    [Theory]
    [MemberData(nameof(ExamplePlans))]
    public void Example_is_already_formatted(string name)
    {
        var path = Path.Combine(RepoPaths.Root, "plans", "examples", name);
        var text = File.ReadAllText(path);

        var formatted = PlanFormatter.Format(text, name);

        Assert.Empty(formatted.Diagnostics);
        Assert.Equal(text, formatted.Formatted);
    }

    [Fact]
    public void Every_required_example_exists()
    {
        var expected = new[]
        {
            "gmail-to-exchange-online.yaml", "cutover.yaml", "staged.yaml", "hybrid.yaml", "pst.yaml", "exchange-imap.yaml", "import-mbox.yaml",
        };
        var folder = Path.Combine(RepoPaths.Root, "plans", "examples");

        Assert.All(expected, name => Assert.True(File.Exists(Path.Combine(folder, name)), name + " is missing"));
    }
}
