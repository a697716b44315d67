using System.Text.Json;
using System.Text.RegularExpressions;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// <c>validate --resolve</c> and <c>check</c> without a server: what apply would need is found before it runs, each
/// problem a coded diagnostic at its line; check writes nothing. (Logins against Dovecot: CheckOnDovecotTests.)
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class CheckCommandTests
{
    private static string Folder => Path.Combine(RepoPaths.Root, "tests", "MigrationEngine.Cli.Tests", "Golden", "check");

    [Fact]
    public async Task Validate_resolve_names_each_unresolvable_reference_at_its_line()
    {
        Environment.SetEnvironmentVariable("ME_RESOLVE_TEST_UNSET", null);
        var plain = await MigrateCli.RunAsync(Folder, "validate", "resolve-plan.yaml");
        Assert.True(plain.ExitCode == 0, plain.All);

        var result = await MigrateCli.RunAsync(Folder, "validate", "--resolve", "resolve-plan.yaml");
        Assert.Equal(1, result.ExitCode);
        foreach (var code in new[] { "MIG1300", "MIG1301", "MIG1302", "MIG1303", "MIG1304" })
        {
            Assert.Contains(code, result.Error, StringComparison.Ordinal);
        }

        Golden.Assert(Path.Combine("check", "resolve.txt"), result.Error);
    }

    [Fact]
    public async Task Validate_resolve_passes_once_the_secret_is_set()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("plan.yaml"), """
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: resolved
            spec:
              sources:
                old:
                  type: imap
                  host: 127.0.0.1
                  port: 1143
                  tls: starttls
                  auth:
                    password: env:ME_RESOLVE_TEST_SET
              targets:
                out:
                  type: maildir
                  path: out
              mailboxSets:
                users:
                  mailboxes:
                    - source: a@example.test
                      target: a@example.test
              migrations:
                - name: move
                  type: imap
                  from: old
                  to: out
                  mailboxSets: [users]
              reports:
                - template: builtin:summary.md
                  output: out/summary.md
            """);
        Environment.SetEnvironmentVariable("ME_RESOLVE_TEST_SET", null);
        var unset = await MigrateCli.RunAsync(temp.Path, "validate", "--resolve", "plan.yaml");
        Assert.Equal(1, unset.ExitCode);
        Assert.Contains("plan.yaml(13,19): error MIG1300: secret env:ME_RESOLVE_TEST_SET for source 'old' auth.password", unset.Error, StringComparison.Ordinal);
        Environment.SetEnvironmentVariable("ME_RESOLVE_TEST_SET", "x");
        try
        {
            var set = await MigrateCli.RunAsync(temp.Path, "validate", "--resolve", "plan.yaml");
            Assert.True(set.ExitCode == 0, set.All);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ME_RESOLVE_TEST_SET", null);
        }
    }

    /// <summary>
    /// Shipped examples leave secrets (and a private CA) to the admin: those may be missing here, nothing else may be.
    /// gmail-to-exchange-online.yaml once named a report template that does not exist.
    /// </summary>
    [Fact]
    public async Task Shipped_examples_resolve_except_for_the_secrets_an_admin_supplies()
    {
        var examples = Path.Combine(RepoPaths.Root, "plans", "examples");
        foreach (var plan in Directory.GetFiles(examples, "*.yaml").Order(StringComparer.Ordinal))
        {
            var result = await MigrateCli.RunAsync(examples, "validate", "--resolve", "--output", "json", Path.GetFileName(plan));
            using var json = JsonDocument.Parse(result.Out);
            var codes = json.RootElement.GetProperty("diagnostics").EnumerateArray()
                .Where(d => d.GetProperty("severity").GetString() == "error")
                .Select(d => d.GetProperty("code").GetString())
                .ToList();
            Assert.All(codes, code => Assert.True(code is "MIG1300" or "MIG1301" or "MIG1302", $"{Path.GetFileName(plan)}: {code}\n{result.Out}"));
        }

        var quickstart = await MigrateCli.RunAsync(examples, "validate", "--resolve", "quickstart.yaml");
        Assert.True(quickstart.ExitCode == 0, quickstart.All);
    }

    [Fact]
    public async Task Check_reports_each_mailbox_and_writes_nothing()
    {
        var result = await MigrateCli.RunAsync(Folder, "check", "check-plan.yaml");
        Assert.Equal(1, result.ExitCode);
        Golden.Assert(Path.Combine("check", "check.txt"), Normalize(result.Out + result.Error));
        Assert.False(Directory.Exists(Path.Combine(Folder, "out")), "check created the target folder");
        Assert.False(Directory.Exists(Path.Combine(Folder, ".migrate")), "check created state");
    }

    [Fact]
    public async Task Check_json_has_an_outcome_per_side()
    {
        var result = await MigrateCli.RunAsync(Folder, "check", "check-plan.yaml", "--output", "json");
        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.False(json.RootElement.GetProperty("passed").GetBoolean());
        var rows = json.RootElement.GetProperty("mailboxes").EnumerateArray().ToList();
        Assert.Equal(["ok", "mailbox_missing"], rows.Select(r => r.GetProperty("source_check").GetProperty("outcome").GetString()));
        Assert.Equal(["created_by_apply", "created_by_apply"], rows.Select(r => r.GetProperty("target_check").GetProperty("outcome").GetString()));
        Assert.Equal("MIG0802", rows[1].GetProperty("source_check").GetProperty("diagnostic").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Check_of_one_mailbox_and_of_a_sample()
    {
        var one = await MigrateCli.RunAsync(Folder, "check", "check-plan.yaml", "--mailbox", "ALICE@example.test");
        Assert.True(one.ExitCode == 0, one.All);
        Assert.Contains("1 mailbox(es) checked", one.Out, StringComparison.Ordinal);

        var sample = await MigrateCli.RunAsync(Folder, "check", "check-plan.yaml", "--sample", "1", "--output", "json");
        using var json = JsonDocument.Parse(sample.Out);
        Assert.Equal(1, json.RootElement.GetProperty("mailboxes").GetArrayLength());

        var unknown = await MigrateCli.RunAsync(Folder, "check", "check-plan.yaml", "--mailbox", "nobody@example.test");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("error MIG1310: no mailbox of the plan has the source or target address 'nobody@example.test'", unknown.Error, StringComparison.Ordinal);

        var zero = await MigrateCli.RunAsync(Folder, "check", "check-plan.yaml", "--sample", "0");
        Assert.Equal(2, zero.ExitCode);
    }

    private static string Normalize(string text) =>
        ElapsedPattern().Replace(text.Replace(Folder + Path.DirectorySeparatorChar, "<plan folder>/", StringComparison.Ordinal), "checked in <t> s");

    [GeneratedRegex(@"checked in \d+(\.\d+)? s")]
    private static partial Regex ElapsedPattern();
}

/// <summary>Golden files under Golden/; UPDATE_GOLDEN=1 rewrites them after an intended change.</summary>
internal static class Golden
{
    private static string GoldenFolder => Path.Combine(RepoPaths.Root, "tests", "MigrationEngine.Cli.Tests", "Golden");

    public static void Assert(string name, string actual)
    {
        var path = Path.Combine(GoldenFolder, name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1" || !File.Exists(path))
        {
            File.WriteAllText(path, actual);
            Xunit.Assert.Fail($"golden file {name} was written; review it and run the tests again");
        }

        Xunit.Assert.Equal(File.ReadAllText(path), actual);
    }
}
