using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>A saved plan records what the refresh saw; applying it later says how the sources moved and converges on them as they are.</summary>
[Trait("Category", "Unit")]
public sealed class SavedPlanDriftTests
{
    private static readonly string[] Users = ["alice@contoso.com", "bob@contoso.com"];

    [Fact]
    public async Task Apply_of_a_saved_plan_names_the_sources_that_moved_since_the_review_and_copies_what_is_pending_now()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 12);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("drift", "maildir", "src", "out", Users));
        Assert.Equal(0, (await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml")).ExitCode);

        var reviewed = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--out", "reviewed.json");
        Assert.True(reviewed.ExitCode == 0, reviewed.All);
        var saved = File.ReadAllText(temp.Combine("reviewed.json"));
        Assert.Contains("\"refresh\"", saved, StringComparison.Ordinal);
        Assert.Contains("\"folders\"", saved, StringComparison.Ordinal);
        Assert.Contains("\"messages\": 4", saved, StringComparison.Ordinal);

        // After the review: a message arrives for alice, one of bob's is deleted at the source.
        var arrived = Corpus.Message("alice@contoso.com", 500, new Random(3));
        File.WriteAllBytes(temp.Combine("src", "alice@contoso.com", "new", "1800000000.M1P1.test"), arrived);
        File.Delete(Directory.GetFiles(temp.Combine("src", "bob@contoso.com", "cur")).Order(StringComparer.Ordinal).First());

        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "reviewed.json");

        Assert.True(apply.ExitCode == 0, apply.All);
        Assert.Contains("MIG1200", apply.Error, StringComparison.Ordinal);
        Assert.Contains("2 mailboxes differ", apply.Error, StringComparison.Ordinal);
        Assert.Contains("copy/alice@contoso.com: INBOX: 4 messages then, 5 messages now", apply.Error, StringComparison.Ordinal);
        Assert.Contains("(0 new messages then, 1 now)", apply.Error, StringComparison.Ordinal);
        Assert.Contains("Copied 1 messages", apply.Out, StringComparison.Ordinal);
        Assert.Contains("1 no longer in the source (copied before, kept in the target)", apply.Out, StringComparison.Ordinal);
        Assert.Equal(expected["alice@contoso.com"].Append(Corpus.Sha256(arrived)).Order(), Corpus.HashMaildirTree(temp.Combine("out", "alice@contoso.com")).Order());
        Assert.Equal(expected["bob@contoso.com"].Order(), Corpus.HashMaildirTree(temp.Combine("out", "bob@contoso.com")).Order());

        // A plan saved and applied while nothing moves says nothing about drift.
        Assert.Equal(0, (await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--out", "reviewed.json")).ExitCode);
        var quiet = await MigrateCli.RunAsync(temp.Path, "apply", "reviewed.json");
        Assert.True(quiet.ExitCode == 0, quiet.All);
        Assert.DoesNotContain("MIG1200", quiet.All, StringComparison.Ordinal);

        // Offline plans record no figures: nothing to compare.
        Assert.Equal(0, (await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--refresh=false", "--out", "offline.json")).ExitCode);
        Assert.DoesNotContain("\"folders\"", File.ReadAllText(temp.Combine("offline.json")), StringComparison.Ordinal);
    }
}
