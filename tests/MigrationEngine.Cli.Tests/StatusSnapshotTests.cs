using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.Core.State;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// <c>status</c> answers from the snapshot the last apply kept while the plan's files and the state are unchanged, and from
/// the records as soon as either moves: its output is always what the records say.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StatusSnapshotTests
{
    private static readonly string[] Users = ["alice@contoso.com", "bob@contoso.com"];

    [Fact]
    public async Task Status_answers_from_the_snapshot_until_the_state_or_the_plan_changes()
    {
        using var temp = new TempDirectory();
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 6);
        File.WriteAllText(temp.Combine("users.csv"), "EmailAddress\n" + string.Join('\n', Users) + "\n");
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("snap", "maildir", "src", "out", [])
            .Replace("      mailboxes:\n", "      csv: users.csv\n", StringComparison.Ordinal));
        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(apply.ExitCode == 0, apply.All);
        var database = temp.Combine(".migrate", "state.db");

        // The apply kept a snapshot at the plan's current revision, and status prints what the records say.
        Assert.Equal(Scalar(database, "SELECT revision FROM plan_revisions WHERE plan = 'snap'"), Scalar(database, "SELECT revision FROM status_snapshots"));
        var kept = await StatusBothWaysAsync(temp);
        Assert.Contains("  alice@contoso.com  done", kept, StringComparison.Ordinal);

        // A write to the state (a step failed) moves the revision: status reads the records again.
        await using (var store = await MigrationEngine.State.Sqlite.SqliteStateStore.OpenAsync(database, CancellationToken.None))
        {
            var verify = (await store.GetStepsAsync("snap", CancellationToken.None))["verify/copy/alice@contoso.com"];
            await store.SaveStepAsync("snap", verify with { Status = StepStatus.Failed, Error = "planted failure" }, CancellationToken.None);
        }

        var failed = await StatusBothWaysAsync(temp);
        Assert.Contains("  alice@contoso.com  failed", failed, StringComparison.Ordinal);
        Assert.Contains("planted failure", failed, StringComparison.Ordinal);

        // A new row in the plan's CSV changes its content hash: the new mailbox shows as pending.
        File.AppendAllText(temp.Combine("users.csv"), "carol@contoso.com\n");
        var grown = await StatusBothWaysAsync(temp);
        Assert.Contains("  carol@contoso.com  pending", grown, StringComparison.Ordinal);

        // The status above kept a new snapshot; a write that bypasses the revision (the trigger dropped, as no code path can)
        // shows that status answers from it: it still says done where the records now say failed.
        var again = await StatusBothWaysAsync(temp);
        Assert.Equal(grown, again);
        Scalar(database, "DROP TRIGGER steps_update_plan_revision; UPDATE steps SET status = 'failed', error = 'behind the revision' WHERE step_id = 'verify/copy/bob@contoso.com'");
        var fromSnapshot = await MigrateCli.RunAsync(temp.Path, "status", "plan.yaml");
        var fromRecords = await MigrateCli.RunAsync(temp.Path, "status", "plan.yaml", "--no-snapshot");
        Assert.Contains("  bob@contoso.com    done", fromSnapshot.Out, StringComparison.Ordinal);
        Assert.Contains("behind the revision", fromRecords.Out, StringComparison.Ordinal);
    }

    /// <summary>Status text and JSON from the snapshot (when there is one) and from the records: the same, and returned.</summary>
    private static async Task<string> StatusBothWaysAsync(TempDirectory temp)
    {
        var text = await MigrateCli.RunAsync(temp.Path, "status", "plan.yaml");
        Assert.True(text.ExitCode == 0, text.All);
        var exact = await MigrateCli.RunAsync(temp.Path, "status", "plan.yaml", "--no-snapshot");
        Assert.Equal(exact.Out, text.Out);
        var json = await MigrateCli.RunAsync(temp.Path, "status", "plan.yaml", "--output", "json");
        var exactJson = await MigrateCli.RunAsync(temp.Path, "status", "plan.yaml", "--output", "json", "--no-snapshot");
        Assert.Equal(exactJson.Out, json.Out);
        return text.Out;
    }

    private static object? Scalar(string database, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
