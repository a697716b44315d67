using MigrationEngine.Cli.Hosting;

namespace MigrationEngine.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class StartupWarmupTests
{
    [Theory]
    [InlineData(new[] { "apply", "plan.yaml", "--state", "s.db" }, "plan.yaml")]
    [InlineData(new[] { "status", "dir/plan.yaml" }, "dir/plan.yaml")]
    [InlineData(new[] { "apply", "--state", "s.db", "plan.yaml" }, null)]
    [InlineData(new[] { "--version" }, null)]
    [InlineData(new[] { "apply" }, null)]
    public void The_plan_guessed_for_the_warm_up_is_the_first_argument_after_the_verb(string[] args, string? expected)
    {
        Assert.Equal(expected, StartupWarmup.PlanArgument(args));
    }

    [Theory]
    [InlineData("sources:\n  old:\n    type: imap\n", true)]
    [InlineData("sources:\n  old:\n    type: IMAP\n", true)]
    [InlineData("sources:\n  old:\n    type: maildir\n", false)]
    public void MailKit_is_warmed_only_for_a_plan_that_names_IMAP(string text, bool expected)
    {
        var plan = Path.Combine(Directory.CreateTempSubdirectory("warmup-").FullName, "plan.yaml");
        File.WriteAllText(plan, text);

        Assert.Equal(expected, StartupWarmup.MentionsImap(plan));
        // A plan that is not there is not applied, so there is nothing to warm for.
        Assert.False(StartupWarmup.MentionsImap(plan + ".missing"));
        Directory.Delete(Path.GetDirectoryName(plan)!, recursive: true);
    }

    [Fact]
    public void Warming_the_run_log_writes_nothing_anywhere_and_can_run_beside_a_run()
    {
        var before = Directory.GetFiles(Environment.CurrentDirectory, "*", SearchOption.TopDirectoryOnly);

        Parallel.For(0, 4, _ => RunLogging.Warm());

        Assert.Equal(before, Directory.GetFiles(Environment.CurrentDirectory, "*", SearchOption.TopDirectoryOnly));
    }
}
