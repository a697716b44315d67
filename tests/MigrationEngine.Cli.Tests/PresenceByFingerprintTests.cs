using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>The presence check (messages the ledger does not know) tells two messages of one dedup key apart by internal date and size.</summary>
[Trait("Category", "Unit")]
public sealed class PresenceByFingerprintTests
{
    private static readonly string[] Users = ["alice@contoso.com"];

    [Fact]
    public async Task After_the_ledger_is_lost_a_different_message_with_a_copied_ones_message_id_is_copied_not_taken_for_it()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 6);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("fingerprint", "maildir", "src", "out", Users));
        Assert.Equal(0, (await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml")).ExitCode);

        // At the source, message 0 is replaced by another message with the same Message-ID (and Date, From, Subject), received
        // at another time; then the state is lost.
        var inbox = temp.Combine("src", "alice@contoso.com", "cur");
        File.Delete(Path.Combine(inbox, "1700000000.M0P1.test:2,S"));
        var other = Corpus.Message("alice@contoso.com", 0, new Random(99));
        var otherFile = Path.Combine(inbox, "1700000999.M0P1.test:2,S");
        File.WriteAllBytes(otherFile, other);
        File.SetLastWriteTimeUtc(otherFile, new DateTime(2020, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        foreach (var file in Directory.GetFiles(temp.Combine(".migrate"), "state.db*"))
        {
            File.Delete(file);
        }

        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");

        Assert.True(apply.ExitCode == 0, apply.All);
        Assert.Contains("Copied 1 messages", apply.Out, StringComparison.Ordinal);
        Assert.Contains("5 already present", apply.Out, StringComparison.Ordinal);
        // The earlier copy stays (nothing is deleted from the target); the other message is there too.
        Assert.Equal(expected["alice@contoso.com"].Append(Corpus.Sha256(other)).Order(), Corpus.HashMaildirTree(temp.Combine("out", "alice@contoso.com")).Order());
    }
}
