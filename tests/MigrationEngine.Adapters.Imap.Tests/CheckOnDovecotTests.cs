using System.Diagnostics;
using System.Text.Json;
using MigrationEngine.TestSupport;
using Xunit.Abstractions;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// <c>migrate check</c> against the fixture's Dovecot: every mailbox logs in once per side, a wrong password and an unknown
/// host fail once and fast, a master login for a user the server does not have is told apart, and 100 mailboxes answer
/// in seconds (the figure is written to the test log).
/// </summary>
[Collection(DovecotCollection.Name)]
[Trait("Category", "Server")]
public sealed class CheckOnDovecotTests(DovecotFixture dovecot, ITestOutputHelper output)
{
    [Fact]
    public async Task Hundred_mailboxes_log_in_on_both_sides_in_seconds()
    {
        using var folder = new PlanFolder();
        // The fixture's passwd-file holds user1..user120 from the start; master logins need no per-user password.
        var mailboxes = Enumerable.Range(1, 100).Select(i => ($"user{i}@example.test", $"user{i}@example.test")).ToList();
        var plan = folder.Write(PlanText(dovecot.PlainPort, "127.0.0.1", mailboxes, concurrency: 8));
        UseMasterPassword();

        var clock = Stopwatch.StartNew();
        var (exit, text) = await PlanEndToEndTests.RunCliAsync(output, plan, "check", "--output", "json");
        clock.Stop();
        Assert.True(exit == 0, text);
        using var json = JsonDocument.Parse(text);
        var rows = json.RootElement.GetProperty("mailboxes").EnumerateArray().ToList();
        Assert.Equal(100, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal("ok", row.GetProperty("source_check").GetProperty("outcome").GetString());
            Assert.Equal("ok", row.GetProperty("target_check").GetProperty("outcome").GetString());
        });
        output.WriteLine($"FIGURE: migrate check, 100 mailboxes (200 logins, concurrency 8) on one Dovecot: {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"check took {clock.Elapsed}");
    }

    [Fact]
    public async Task Wrong_password_fails_once_and_fast_and_names_the_mailbox()
    {
        var user = dovecot.NewUser("check-wrong-password");
        using var folder = new PlanFolder();
        Environment.SetEnvironmentVariable("CHECK_WRONG_PASSWORD", "not-the-password");
        var plan = folder.Write(PlanText(dovecot.PlainPort, "127.0.0.1", [(user.Address, user.Address)], sourcePassword: "env:CHECK_WRONG_PASSWORD", sourceUser: "{mailbox}"));
        UseMasterPassword();
        var failuresBefore = AuthFailures(user.Address);

        var clock = Stopwatch.StartNew();
        var (exit, text) = await PlanEndToEndTests.RunCliAsync(output, plan, "check");
        clock.Stop();

        Assert.Equal(1, exit);
        Assert.Contains("login refused", text, StringComparison.Ordinal);
        Assert.Contains("MIG0601", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", text, StringComparison.Ordinal);
        // Dovecot delays a refused login by its auth penalty for the client's IP: up to 15 s (AUTH_PENALTY_MAX_SECS in
        // src/auth/auth-penalty.h) while other tests' refused logins from 127.0.0.1 are under 29 s old. The bound allows
        // that one delay; retries are caught exactly by the count of refused logins below.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"a wrong password took {clock.Elapsed}");
        // One login attempt for the source, not one per retry.
        await WaitForLogAsync();
        Assert.Equal(1, AuthFailures(user.Address) - failuresBefore);
    }

    [Fact]
    public async Task Unknown_host_is_not_retried()
    {
        using var folder = new PlanFolder();
        var plan = folder.Write(PlanText(dovecot.PlainPort, "no-such-host.invalid", [("user1@example.test", "user1@example.test")]));
        UseMasterPassword();

        var clock = Stopwatch.StartNew();
        var (exit, text) = await PlanEndToEndTests.RunCliAsync(output, plan, "check", "--output", "json");
        clock.Stop();

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(text);
        var row = json.RootElement.GetProperty("mailboxes")[0];
        Assert.Equal("unreachable", row.GetProperty("source_check").GetProperty("outcome").GetString());
        Assert.Equal("MIG0622", row.GetProperty("source_check").GetProperty("diagnostic").GetProperty("code").GetString());
        Assert.Equal("ok", row.GetProperty("target_check").GetProperty("outcome").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"an unknown host took {clock.Elapsed}");
    }

    [Fact]
    public async Task Master_login_for_a_user_the_server_does_not_have_is_reported_per_mailbox()
    {
        using var folder = new PlanFolder();
        var plan = folder.Write(PlanText(dovecot.PlainPort, "127.0.0.1",
            [("user2@example.test", "user2@example.test"), ("user2@example.test", "nobody-here@example.test")]));
        UseMasterPassword();

        var (exit, text) = await PlanEndToEndTests.RunCliAsync(output, plan, "check", "--output", "json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(text);
        var rows = json.RootElement.GetProperty("mailboxes").EnumerateArray().ToList();
        Assert.Equal("ok", rows[0].GetProperty("target_check").GetProperty("outcome").GetString());
        var missing = rows[1].GetProperty("target_check");
        // Dovecot accepts the master password, then refuses to act as a user it does not have: AUTHORIZATIONFAILED.
        Assert.Equal("not_authorized", missing.GetProperty("outcome").GetString());
        Assert.Contains("nobody-here@example.test", missing.GetProperty("diagnostic").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(rows[1].GetProperty("passed").GetBoolean());
    }

    private static void UseMasterPassword() => Environment.SetEnvironmentVariable("CHECK_MASTER_PASSWORD", DovecotFixture.MasterPassword);

    private int AuthFailures(string address) =>
        File.Exists(dovecot.LogFile)
            ? File.ReadLines(dovecot.LogFile).Count(line => line.Contains("auth failed", StringComparison.Ordinal) && line.Contains($"user=<{address}>", StringComparison.Ordinal))
            : 0;

    /// <summary>Dovecot writes the login process's line when the client disconnects; give it a moment.</summary>
    private static Task WaitForLogAsync() => Task.Delay(TimeSpan.FromMilliseconds(500));

    private static string PlanText(int port, string sourceHost, IReadOnlyList<(string Source, string Target)> mailboxes, int concurrency = 4,
        string sourcePassword = "env:CHECK_MASTER_PASSWORD", string sourceUser = "{mailbox}*admin") => $$"""
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: check-test
        spec:
          sources:
            old:
              type: imap
              host: {{sourceHost}}
              port: {{port}}
              tls: none
              allowInsecure: true
              auth:
                username: '{{sourceUser}}'
                password: {{sourcePassword}}
          targets:
            new:
              type: imap
              host: 127.0.0.1
              port: {{port}}
              tls: none
              allowInsecure: true
              auth:
                username: '{mailbox}*admin'
                password: env:CHECK_MASTER_PASSWORD
          mailboxSets:
            users:
              mailboxes:
        {{string.Concat(mailboxes.Select(m => $"        - source: {m.Source}\n          target: {m.Target}\n"))}}  migrations:
            - name: move
              type: imap
              from: old
              to: new
              mailboxSets: [users]
              concurrency:
                mailboxes: {{concurrency}}
        """;

    private sealed class PlanFolder : IDisposable
    {
        private readonly TempDirectory _temp = new("check-plan");

        public string Write(string text)
        {
            var file = Path.Combine(_temp.Path, "plan.yaml");
            File.WriteAllText(file, text);
            return file;
        }

        public void Dispose() => _temp.Dispose();
    }
}
