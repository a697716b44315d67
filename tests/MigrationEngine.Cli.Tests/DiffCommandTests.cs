using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.Core.State;
using MigrationEngine.State.Sqlite;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

[Trait("Category", "Server")]
public sealed class DiffCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("me-diffcli");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private static string Plan(string mailboxes, string password = "env:IMAP_PASSWORD", string since = "2020-01-01", string options = "", string sets = "") =>
        PlanYaml.ImapToMaildir(mailboxes: mailboxes, password: password, filters: "since: " + since, options: options, extraSets: sets);

    private const string AnnAndBob = PlanYaml.AnnAndBob;
    private const string AnnOnly = PlanYaml.AnnOnly;

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Identical_plans_exit_0_and_say_so()
    {
        var old = Write("old/plan.yaml", Plan(AnnAndBob));
        var current = Write("new/plan.yaml", Plan(AnnAndBob));

        var result = await GitopsCli.RunAsync(_temp.Path, "diff", old, current);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("No differences.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Differences_exit_1_and_json_lists_them()
    {
        var old = Write("old/plan.yaml", Plan(AnnAndBob));
        var current = Write("new/plan.yaml", Plan(AnnOnly, since: "2021-01-01"));

        var result = await GitopsCli.RunAsync(_temp.Path, "diff", old, current, "--output", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var changes = json.RootElement.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("category").GetString(), c.GetProperty("subject").GetString(), c.GetProperty("change").GetString())).ToList();
        Assert.Equal([("mailbox", "bob@contoso.test", "removed"), ("migration", "mail", "changed")], changes);
    }

    [Fact]
    public async Task An_invalid_plan_is_an_error_with_exit_2_naming_file_and_line()
    {
        var old = Write("old/plan.yaml", Plan(AnnAndBob));
        var current = Write("new/plan.yaml", Plan(AnnAndBob).Replace("type: maildir", "type: mailddir", StringComparison.Ordinal));

        var result = await GitopsCli.RunAsync(_temp.Path, "diff", old, current);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"plan\.yaml\(\d+,\d+\): error MIG\d{4}", result.Error);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Literal_secrets_of_either_version_appear_in_no_output_format()
    {
        const string Options = "  options:\n    allowPlaintextSecrets: true\n";
        var old = Write("old/plan.yaml", Plan(AnnAndBob, password: "Old-Pa55word-XYZ", options: Options));
        var current = Write("new/plan.yaml", Plan(AnnAndBob, password: "New-Pa55word-XYZ", options: Options));

        foreach (var format in new[] { "text", "json", "markdown" })
        {
            var result = await GitopsCli.RunAsync(_temp.Path, "diff", old, current, "--output", format);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("<literal secret>", result.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("Pa55word", result.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Changes_that_touch_migrated_mail_are_flagged_from_the_default_state()
    {
        var old = Write("old/plan.yaml", Plan(AnnAndBob));
        var current = Write("new/plan.yaml", Plan(AnnOnly.Replace("ann@fabrikam.test", "ann.new@fabrikam.test", StringComparison.Ordinal), since: "2022-01-01"));
        await using (var store = await SqliteStateStore.OpenAsync(Path.Combine(_temp.Path, "new", ".migrate", "state.db"), CancellationToken.None))
        {
            await store.RecordMessagesAsync("wave1",
            [
                Ledger("bob@fabrikam.test", "1"), Ledger("bob@fabrikam.test", "2"), Ledger("ann@fabrikam.test", "3"),
            ], CancellationToken.None);
        }

        var text = await GitopsCli.RunAsync(_temp.Path, "diff", old, current);
        var markdown = await GitopsCli.RunAsync(_temp.Path, "diff", old, current, "--output", "markdown");

        Assert.Equal(1, text.ExitCode);
        Assert.Contains("- mailbox bob@contoso.test: removed", text.Out, StringComparison.Ordinal);
        Assert.Contains("RISK: 2 message(s) already migrated to bob@fabrikam.test", text.Out, StringComparison.Ordinal);
        Assert.Contains("RISK: 1 message(s) already migrated to ann@fabrikam.test (mail); the new target ann.new@fabrikam.test starts empty", text.Out, StringComparison.Ordinal);
        Assert.Contains("under the old filters.since", text.Out, StringComparison.Ordinal);
        Assert.Contains("> **Warning:** 3 change(s) touch work already recorded in state", markdown.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_state_that_does_not_exist_is_an_error()
    {
        var old = Write("old/plan.yaml", Plan(AnnAndBob));
        var current = Write("new/plan.yaml", Plan(AnnOnly));

        var result = await GitopsCli.RunAsync(_temp.Path, "diff", old, current, "--state", Path.Combine(_temp.Path, "nowhere.db"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error MIG1003", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Git_mode_reads_the_plan_and_its_csv_at_both_revisions()
    {
        var repo = Path.Combine(_temp.Path, "repo");
        Directory.CreateDirectory(repo);
        const string CsvPlan = """
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
                  csv: lists/users.csv
              migrations:
                - name: copy
                  type: import
                  from: src
                  to: dst
                  mailboxSets: [users]
            """;
        var plan = Path.Combine(repo, "plans", "files.yaml");
        Directory.CreateDirectory(Path.Combine(repo, "plans", "lists"));
        File.WriteAllText(plan, CsvPlan);
        File.WriteAllText(Path.Combine(repo, "plans", "lists", "users.csv"), "EmailAddress\nann@contoso.test\n");
        Git(repo, "init", "-q");
        Git(repo, "add", ".");
        Git(repo, "commit", "-q", "-m", "first");
        File.WriteAllText(Path.Combine(repo, "plans", "lists", "users.csv"), "EmailAddress\nann@contoso.test\ncid@contoso.test\n");
        Git(repo, "commit", "-q", "-a", "-m", "second");
        // The working tree differs from both revisions: the diff must not read it.
        File.WriteAllText(Path.Combine(repo, "plans", "lists", "users.csv"), "EmailAddress\nzed@contoso.test\n");

        var result = await GitopsCli.RunAsync(_temp.Path, "diff", "--git", "HEAD~1..HEAD", plan);
        var missing = await GitopsCli.RunAsync(_temp.Path, "diff", "--git", "nosuchrev..HEAD", plan);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Plan files: HEAD~1:plans/files.yaml -> HEAD:plans/files.yaml", result.Out, StringComparison.Ordinal);
        Assert.Contains("+ mailbox cid@contoso.test: added", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("zed@", result.Out, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("error MIG1001: cannot read the plan from git: revision 'nosuchrev' does not exist", missing.Error, StringComparison.Ordinal);
    }

    private static LedgerEntry Ledger(string mailbox, string id) => new()
    {
        Migration = "mail",
        Mailbox = mailbox,
        Folder = "INBOX",
        FolderValidity = 1,
        SourceId = id,
        DedupKey = "k" + id,
        Size = 10,
        TargetFolder = "INBOX",
        RunId = 1,
    };

    internal static void Git(string repo, params string[] arguments)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = repo, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["GIT_AUTHOR_NAME"] = info.Environment["GIT_COMMITTER_NAME"] = "test";
        info.Environment["GIT_AUTHOR_EMAIL"] = info.Environment["GIT_COMMITTER_EMAIL"] = "test@example.test";
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
    }
}

/// <summary>
/// Runs the real CLI in process. Until <c>diff</c> and <c>state</c> are registered in <see cref="CliApp"/>, their commands
/// are hosted in a root built from the same factories (DiffCommand.Create, StateCommand.Create), so these tests exercise
/// the same code either way.
/// </summary>
internal static class GitopsCli
{
    // --help hides parse errors (an unknown verb prints the root's help and exits 0): look for the verb's own usage line.
    private static readonly Lazy<Task<bool>> Registered = new(async () => await HasVerbAsync("diff") && await HasVerbAsync("state"));

    private static async Task<bool> HasVerbAsync(string verb)
    {
        var stdout = new StringWriter();
        await CliApp.RunAsync([verb, "--help"], stdout, TextWriter.Null);
        // The root's name is the host's (testhost under the test runner): match "Usage: <any> verb".
        return System.Text.RegularExpressions.Regex.IsMatch(stdout.ToString(), $@"Usage:\s+\S+ {verb}\b");
    }

    public static async Task<CliResult> RunAsync(string workingDirectory, params string[] args)
    {
        if (await Registered.Value || args.Length == 0 || args[0] is not ("diff" or "state"))
        {
            return await MigrateCli.RunAsync(workingDirectory, args);
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand("migrate");
        foreach (var name in new[] { "DiffCommand", "StateCommand" })
        {
            var factory = typeof(CliApp).Assembly.GetType($"MigrationEngine.Cli.Commands.{name}", throwOnError: true)!.GetMethod("Create")!;
            root.Subcommands.Add((Command)factory.Invoke(null, [console])!);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"migrate: {error.Message}");
            }

            return new CliResult(2, stdout.ToString(), stderr.ToString());
        }

        var exit = await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }
}
