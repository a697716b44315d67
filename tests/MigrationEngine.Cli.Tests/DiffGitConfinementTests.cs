
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// <c>diff --git</c> reads the plan's CSV files from the revisions under the rules live files follow: inside the
/// repository, relative to the plan, regular files of bounded size. A pull request cannot make the diff read a file
/// outside the repository, follow a committed symbolic link, or load a huge blob into memory.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DiffGitConfinementTests : IDisposable
{
    private const string Canary = "CANARY-OUTSIDE-THE-REPOSITORY";
    private readonly TempDirectory _temp = new("me-diffgit");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("../../outside.csv", "leads outside the repository")]
    [InlineData("/ABSOLUTE/outside.csv", "relative to the plan's folder")]
    [InlineData("lists/link.csv", "symbolic link")]
    [InlineData("lists", "folder")]
    public async Task A_csv_git_cannot_serve_safely_is_a_coded_error_and_never_read(string csv, string reason)
    {
        var outside = Path.Combine(_temp.Path, "outside.csv");
        File.WriteAllText(outside, $"EmailAddress\n{Canary}@contoso.test\n");
        var plan = Commit(csv.Replace("/ABSOLUTE", _temp.Path, StringComparison.Ordinal), repo =>
        {
            File.WriteAllText(Path.Combine(repo, "plans", "lists", "users.csv"), "EmailAddress\nann@contoso.test\n");
            File.CreateSymbolicLink(Path.Combine(repo, "plans", "lists", "link.csv"), outside);
        });

        var result = await GitopsCli.RunAsync(_temp.Path, "diff", "--git", "HEAD~1..HEAD", plan);

        Assert.True(result.ExitCode == 2, result.Out + result.Error);
        Assert.Contains("MIG1230", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, result.Out + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_larger_than_a_live_csv_may_be_is_refused_before_it_is_read()
    {
        var plan = Commit("lists/users.csv", repo =>
        {
            using var file = File.Create(Path.Combine(repo, "plans", "lists", "users.csv"));
            file.SetLength(Core.Loading.CsvMailboxFile.MaxBytes + 1);
        });

        var result = await GitopsCli.RunAsync(_temp.Path, "diff", "--git", "HEAD~1..HEAD", plan);

        Assert.True(result.ExitCode == 2, result.Out + result.Error);
        Assert.Contains("MIG1230", result.Error, StringComparison.Ordinal);
        Assert.Contains("larger than", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_inside_the_repository_next_to_the_plan_is_read_at_each_revision()
    {
        var plan = Commit("../shared/users.csv", repo =>
        {
            Directory.CreateDirectory(Path.Combine(repo, "shared"));
            File.WriteAllText(Path.Combine(repo, "shared", "users.csv"), "EmailAddress\nann@contoso.test\ncid@contoso.test\n");
        });

        var result = await GitopsCli.RunAsync(_temp.Path, "diff", "--git", "HEAD~1..HEAD", plan);

        // Read from git (inside the repository), then held to the plan's folder like a live CSV: the loader refuses it.
        Assert.True(result.ExitCode == 2, result.Out + result.Error);
        Assert.Contains("MIG0230", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("MIG1230", result.Error, StringComparison.Ordinal);
    }

    /// <summary>A repository whose first commit has the plan with an inline mailbox, and whose second names <paramref name="csv"/>.</summary>
    private string Commit(string csv, Action<string> files)
    {
        var repo = Path.Combine(_temp.Path, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "plans", "lists"));
        var plan = Path.Combine(repo, "plans", "files.yaml");
        File.WriteAllText(plan, Plan("mailboxes:\n          - source: ann@contoso.test\n            target: ann@contoso.test"));
        DiffCommandTests.Git(repo, "init", "-q");
        DiffCommandTests.Git(repo, "add", ".");
        DiffCommandTests.Git(repo, "commit", "-q", "-m", "first");
        files(repo);
        File.WriteAllText(plan, Plan($"csv: \"{csv}\""));
        DiffCommandTests.Git(repo, "add", "-A");
        DiffCommandTests.Git(repo, "commit", "-q", "-m", "second");
        return plan;
    }

    private static string Plan(string set) => $"""
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: files
        spec:
          sources:
            src:
              type: maildir
              path: data
          targets:
            dst:
              type: maildir
              path: out
          mailboxSets:
            users:
              {set}
          migrations:
            - name: copy
              type: import
              from: src
              to: dst
              mailboxSets: [users]
        """;
}
