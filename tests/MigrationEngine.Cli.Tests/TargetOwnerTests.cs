using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>A target mailbox records the plan and state that write to it; another state is refused unless the plan shares.</summary>
[Trait("Category", "Server")]
public sealed class TargetOwnerTests
{
    private static readonly string[] Users = ["alice@contoso.com", "bob@contoso.com"];

    [Fact]
    public async Task Another_state_is_refused_unless_shared_and_the_target_keeps_one_copy()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 20);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("owned", "maildir", "src", "out", Users));

        var first = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml", "--state", temp.Combine("a.db"));
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("plan: owned", File.ReadAllText(temp.Combine("out", Users[0], "migration-engine-owner")), StringComparison.Ordinal);

        // The same state again, even from another path (moved), is the owner.
        File.Move(temp.Combine("a.db"), temp.Combine("moved.db"));
        var again = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml", "--state", temp.Combine("moved.db"));
        Assert.True(again.ExitCode == 0, again.All);

        // A fresh state of the same plan takes over once the owner's run is over (a lost state's replacement)...
        var fresh = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml", "--state", temp.Combine("b.db"));
        Assert.True(fresh.ExitCode == 0, fresh.All);
        Assert.Contains("Copied 0 messages", fresh.Out, StringComparison.Ordinal);

        // ... after which the old state, which has a history of its own, is refused when it writes (a delta pass).
        var second = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml", "--state", temp.Combine("moved.db"), "--delta");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("MIG0240", second.All, StringComparison.Ordinal);
        Assert.Contains("allowSharedTargets", second.All, StringComparison.Ordinal);

        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("owned", "maildir", "src", "out", Users)
            .Replace("spec:\n", "spec:\n  options:\n    allowSharedTargets: true\n", StringComparison.Ordinal));
        var shared = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml", "--state", temp.Combine("moved.db"), "--delta");
        Assert.True(shared.ExitCode == 0, shared.All);

        foreach (var user in Users)
        {
            Assert.Equal(expected[user].Order(), Corpus.HashMaildirTree(temp.Combine("out", user)).Order());
        }
    }

    [Fact]
    public async Task Two_states_applied_at_once_never_duplicate_mail()
    {
        // Each apply runs for a second or two. On a loaded machine the second process can start only after the first has
        // exited, and then its fresh state takes the targets over, as it may (the first test): no refusal to see. So the
        // pair is tried again, in a new folder, until the two overlapped and one was refused (MIG0240); every try, overlapping
        // or not, must leave each message exactly once in the target.
        const int tries = 4;
        var outputs = new List<string>();
        for (var attempt = 1; attempt <= tries; attempt++)
        {
            using var temp = new TempDirectory();
            var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 1500, seed: 11);
            File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("owned-twice", "maildir", "src", "out", Users));
            var runs = await Task.WhenAll(
                MigrateCli.RunProcessAsync(temp.Path, TimeSpan.FromMinutes(3), null, "apply", "plan.yaml", "--state", temp.Combine("one.db")),
                MigrateCli.RunProcessAsync(temp.Path, TimeSpan.FromMinutes(3), null, "apply", "plan.yaml", "--state", temp.Combine("two.db")));

            var all = string.Join("\n----\n", runs.Select(r => $"exit {r.ExitCode}: {r.All}"));
            Assert.All(runs, r => Assert.True(r.ExitCode is 0 or 1, all));
            foreach (var user in Users)
            {
                Assert.Equal(expected[user].Order(), Corpus.HashMaildirTree(temp.Combine("out", user)).Order());
            }

            if (all.Contains("MIG0240", StringComparison.Ordinal))
            {
                return;
            }

            outputs.Add(all);
        }

        Assert.Fail($"in {tries} tries the two applies never ran at once (no MIG0240):\n" + string.Join("\n====\n", outputs));
    }
}
