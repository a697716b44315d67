using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>Random byte damage to a state database (fixed seeds) always ends in a diagnostic, never a stack trace.</summary>
[Trait("Category", "Unit")]
public sealed class StateDamageTests
{
    private static readonly string[] Users = ["alice@contoso.com", "bob@contoso.com"];

    [Fact]
    public async Task Damaged_state_databases_end_in_a_coded_diagnostic_or_a_clean_run()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 30);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("damage", "maildir", "src", "out", Users));
        var first = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(first.ExitCode == 0, first.All);
        var pristine = await File.ReadAllBytesAsync(temp.Combine(".migrate", "state.db"));

        for (var seed = 1; seed <= 12; seed++)
        {
            var random = new Random(seed);
            var damaged = (byte[])pristine.Clone();
            // Seeds alternate between a few bytes anywhere (header included) and a burst in one page.
            if (seed % 2 == 0)
            {
                var page = random.Next(damaged.Length / 4096) * 4096;
                for (var i = 0; i < 200; i++)
                {
                    damaged[page + random.Next(4096)] = (byte)random.Next(256);
                }
            }
            else
            {
                for (var i = 0; i < 24; i++)
                {
                    damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
                }
            }

            var file = temp.Combine($"damaged-{seed}.db");
            await File.WriteAllBytesAsync(file, damaged);
            foreach (var command in new[] { "status", "plan", "apply", "unlock" })
            {
                var run = await MigrateCli.RunAsync(temp.Path, command, "plan.yaml", "--state", file).WaitAsync(TimeSpan.FromMinutes(2));
                var context = $"seed {seed}, {command}: exit {run.ExitCode}\n{run.All}";
                Assert.True(run.ExitCode is 0 or 1 or 2, context);
                Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
                if (run.ExitCode == 1)
                {
                    Assert.Matches("MIG[0-9]{4}", run.Error);
                }
            }
        }

        // Every source message arrived, and once, whatever the damaged states made apply do. (A damaged ledger entry
        // whose folder count still matched once made apply copy its message again: see UnclaimedLedgerEntries.)
        AssertEveryMessageOnce(temp, expected);
    }

    [Fact]
    public async Task A_message_whose_ledger_entry_lost_its_source_id_is_not_copied_again()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 12);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("ids", "maildir", "src", "out", Users));
        var first = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(first.ExitCode == 0, first.All);

        // Damage as a changed byte leaves it: the entries still account for their copies (so the target's count equals
        // the ledger's), but name ids no source message has.
        var damaged = 0;
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={temp.Combine(".migrate", "state.db")};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ledger SET source_id = replace(source_id, '.M', '.X') WHERE id IN (SELECT id FROM ledger ORDER BY id LIMIT 4)";
            damaged = command.ExecuteNonQuery();
        }

        Assert.Equal(4, damaged);
        var again = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("Copied 0 messages", again.Out, StringComparison.Ordinal);
        AssertEveryMessageOnce(temp, expected);

        // The relinked entries name the real ids now: the next run has nothing to reconcile.
        var third = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(third.ExitCode == 0, third.All);
        Assert.Contains("Copied 0 messages", third.Out, StringComparison.Ordinal);
        AssertEveryMessageOnce(temp, expected);
    }

    /// <summary>Every source message is in the target exactly once: its bytes arrived, and no Message-ID is there twice.</summary>
    private static void AssertEveryMessageOnce(TempDirectory temp, Dictionary<string, List<string>> expected)
    {
        foreach (var user in Users)
        {
            var arrived = Corpus.HashMaildirTree(temp.Combine("out", user));
            Assert.All(expected[user], hash => Assert.Contains(hash, arrived));
            var twice = Corpus.MessageIdsInMaildirTree(temp.Combine("out", user)).GroupBy(id => id, StringComparer.Ordinal)
                .Where(group => group.Count() > 1).Select(group => $"{group.Key} x{group.Count()}").ToList();
            Assert.True(twice.Count == 0, $"{user}: in the target more than once: {string.Join(", ", twice)}");
            Assert.Equal(expected[user].Count, arrived.Count);
        }
    }

    [Fact]
    public async Task The_migrate_folder_state_and_logs_are_private_to_their_owner()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempDirectory();
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 2);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("private", "maildir", "src", "out", Users));
        var run = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(run.ExitCode == 0, run.All);

        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var migrate = temp.Combine(".migrate");
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(migrate) & others);
        var files = Directory.GetFiles(migrate, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith(".clef", StringComparison.Ordinal));
        foreach (var file in files)
        {
            Assert.True((File.GetUnixFileMode(file) & others) == UnixFileMode.None, file);
        }
    }
}
