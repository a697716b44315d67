using System.Text;
using MigrationEngine.Cli;
using MigrationEngine.TestSupport;
using Xunit.Abstractions;
using Seed = MigrationEngine.Adapters.Imap.Tests.RawImapClient.Seed;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// The example plan plans/examples/imap-to-imap.yaml run through the real CLI against the fixture's Dovecot:
/// master-user logins, TLS with a private CA, two passes, idempotent re-runs, verification, and no secret in
/// any output (console, log files, state database).
/// </summary>
[Collection(DovecotCollection.Name)]
[Trait("Category", "Server")]
public sealed class PlanEndToEndTests(DovecotFixture dovecot, ITestOutputHelper output)
{
    [Fact]
    public async Task Example_plan_copies_byte_identical_and_never_leaks_a_secret()
    {
        var aliceOld = dovecot.NewUser("e2e-alice-old");
        var aliceNew = dovecot.NewUser("e2e-alice-new");
        var bobOld = dovecot.NewUser("e2e-bob-old");
        var bobNew = dovecot.NewUser("e2e-bob-new");
        var date = new DateTimeOffset(2022, 3, 4, 5, 6, 7, TimeSpan.Zero);
        using (var raw = new RawImapClient(dovecot.PlainPort, aliceOld.Address, aliceOld.Password))
        {
            raw.Create("Archive/2022");
            raw.Create("Été");
            raw.Create("Junk");
            raw.Create("Empty");
            raw.Append("INBOX", Enumerable.Range(0, 40).Select(i => new Seed(Corpus.Message($"inbox {i}", $"in{i}@x"), i % 2 == 0 ? "\\Seen" : "\\Flagged $label1", date)).ToList());
            raw.Append("Archive/2022", Enumerable.Range(0, 25).Select(i => new Seed(Corpus.Message($"archive {i}", i == 3 ? null : $"ar{i}@x"), "\\Seen", date)).ToList());
            raw.Append("Été", [new Seed(Corpus.Message("Grüße", "ete@x", "é\r\n"), "\\Answered", date)]);
            raw.Append("Junk", [new Seed(Corpus.Message("spam", "spam@x"), "", date)]);
        }

        using (var raw = new RawImapClient(dovecot.PlainPort, bobOld.Address, bobOld.Password))
        {
            raw.Append("INBOX", [new Seed(Corpus.Message("dup 1", "same@x"), "", date), new Seed(Corpus.Message("dup 2", "same@x"), "", date)]);
        }

        using var temp = new TempDirectory("imap-plan");
        var folder = temp.Path;
        Directory.CreateDirectory(Path.Combine(folder, "certs"));
        File.Copy(dovecot.CaFile, Path.Combine(folder, "certs", "ca.pem"));
        var example = await File.ReadAllTextAsync(RepoPaths.Of("plans", "examples", "imap-to-imap.yaml"));
        var plan = example
            .Replace("port: 10993", $"port: {dovecot.TlsPort}", StringComparison.Ordinal)
            .Replace("alice@old.example.test", aliceOld.Address, StringComparison.Ordinal)
            .Replace("alice@new.example.test", aliceNew.Address, StringComparison.Ordinal)
            .Replace("bob@old.example.test", bobOld.Address, StringComparison.Ordinal)
            .Replace("bob@new.example.test", bobNew.Address, StringComparison.Ordinal);
        var planFile = Path.Combine(folder, "imap-to-imap.yaml");
        await File.WriteAllTextAsync(planFile, plan);
        UseAdminPasswords();

        var first = await RunAsync(planFile, "apply", "--verbosity", "detailed");
        Assert.True(first.Exit == 0, first.Text);
        Assert.Contains("Copied 68 messages", first.Text, StringComparison.Ordinal);

        var second = await RunAsync(planFile, "apply");
        Assert.True(second.Exit == 0, second.Text);
        Assert.Contains("Copied 0 messages", second.Text, StringComparison.Ordinal);

        // New mail and flag changes after the first run arrive with a delta pass (syncFlags: true in the plan).
        using (var raw = new RawImapClient(dovecot.PlainPort, aliceOld.Address, aliceOld.Password))
        {
            raw.Append("INBOX", [new Seed(Corpus.Message("late arrival", "late@x"), "", date)]);
            raw.Command("SELECT INBOX");
            raw.Command("UID STORE 1 FLAGS (\\Flagged $urgent)");
            raw.Command("UID STORE 2 +FLAGS (\\Seen)");
        }

        var delta = await RunAsync(planFile, "apply", "--delta", "--verbosity", "detailed");
        Assert.True(delta.Exit == 0, delta.Text);
        Assert.Contains("Copied 1 messages", delta.Text, StringComparison.Ordinal);
        Assert.Contains("2 flag updates", delta.Text, StringComparison.Ordinal);
        // CONDSTORE: the source named the two changed messages; the other 39 were not read at all.
        Assert.Contains("Brought flag changes of 2 of 2 messages across to INBOX", delta.Text, StringComparison.Ordinal);

        AssertSameMail(aliceOld, aliceNew, ["INBOX", "Archive/2022", "Été", "Empty"]);
        AssertSameMail(bobOld, bobNew, ["INBOX"]);
        using (var raw = new RawImapClient(dovecot.PlainPort, aliceNew.Address, aliceNew.Password))
        {
            Assert.Throws<InvalidOperationException>(() => raw.FetchAll("Junk"));
        }

        var status = await RunAsync(planFile, "status");
        Assert.Contains("done", status.Text, StringComparison.Ordinal);

        // No secret anywhere: console output, every file the run wrote (logs, state database).
        var secrets = new[] { DovecotFixture.MasterPassword, aliceOld.Password, aliceNew.Password, bobOld.Password, bobNew.Password };
        var everything = new StringBuilder(first.Text + second.Text + delta.Text + status.Text);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, ".migrate"), "*", SearchOption.AllDirectories))
        {
            everything.Append(Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)));
        }

        Assert.Contains(".clef", string.Join(' ', Directory.EnumerateFiles(Path.Combine(folder, ".migrate", "logs"))), StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, everything.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Gmail_labels_are_copied_once_in_total_when_the_plan_says_so()
    {
        var gmail = dovecot.NewUser("labels-src");
        var exchange = dovecot.NewUser("labels-dst");
        using (var raw = new RawImapClient(dovecot.PlainPort, gmail.Address, gmail.Password))
        {
            raw.Create("Work");
            raw.Create("Travel");
            // One message with the labels Inbox and Work (Gmail gives it one internal date in both); two distinct messages that
            // share a Message-ID, size and date; one only in Travel. No All Mail: the model comes from the label folders alone.
            var date = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
            raw.Append("INBOX", [new Seed(Corpus.Message("labelled twice", "both@x"), "", date)]);
            raw.Append("Work", [new Seed(Corpus.Message("labelled twice", "both@x"), "", date), new Seed(Corpus.Message("same id 1", "dup@x"), "", date), new Seed(Corpus.Message("same id 2", "dup@x"), "", date)]);
            raw.Append("Travel", [new Seed(Corpus.Message("trip", "trip@x"), "", date)]);
        }

        using var temp = new TempDirectory("imap-labels");
        var folder = temp.Path;
        var plan = await WriteMasterUserPlanAsync(folder, "gmail-labels", "labels", dovecot.PlainPort, gmail.Address, exchange.Address, sourceExtra: "preset: gmail", migrationExtra: "labelCopies: once\nconcurrency:\n  mailboxes: 1\n  connectionsPerMailbox: 1");

        var first = await RunAsync(plan, "apply");
        Assert.True(first.Exit == 0, first.Text);
        Assert.Contains("Copied 4 messages", first.Text, StringComparison.Ordinal);
        Assert.Contains("0 left out by rules", first.Text, StringComparison.Ordinal);
        Assert.Contains("1 placed elsewhere (one copy of a message with several labels)", first.Text, StringComparison.Ordinal);
        using var target = new RawImapClient(dovecot.PlainPort, exchange.Address, exchange.Password);
        Assert.Single(target.FetchAll("INBOX"));
        Assert.Equal(2, target.FetchAll("Work").Count);
        Assert.Single(target.FetchAll("Travel"));

        var again = await RunAsync(plan, "apply", "--delta");
        Assert.True(again.Exit == 0, again.Text);
        Assert.Contains("Copied 0 messages", again.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delta_pass_skips_unchanged_folders_and_still_notices_mail_missing_from_the_target()
    {
        var source = dovecot.NewUser("cursor-src");
        var target = dovecot.NewUser("cursor-dst");
        using (var raw = new RawImapClient(dovecot.PlainPort, source.Address, source.Password))
        {
            raw.Create("Quiet");
            raw.Create("Still");
            raw.Append("INBOX", [new Seed(Corpus.Message("one", "c1@x")), new Seed(Corpus.Message("two", "c2@x"))]);
            raw.Append("Quiet", [new Seed(Corpus.Message("three", "c3@x"))]);
            raw.Append("Still", [new Seed(Corpus.Message("four", "c5@x"))]);
        }

        // Every command of both sides passes a recording proxy: what each pass asks of the servers is checked too.
        await using var proxy = new ThrottlingProxy(dovecot.PlainPort);
        using var temp = new TempDirectory("imap-cursor");
        var folder = temp.Path;
        var plan = await WriteMasterUserPlanAsync(folder, "cursor", "sync", proxy.Port, source.Address, target.Address);
        static int HeaderReads(List<string> commands) => commands.Count(c => c.Contains("HEADER.FIELDS", StringComparison.Ordinal));

        var first = await RunAsync(plan, "apply", "--delta");
        Assert.True(first.Exit == 0, first.Text);
        Assert.Contains("Copied 4 messages", first.Text, StringComparison.Ordinal);
        // Into empty target folders the source is listed without header fields (keys come from the fetched bytes), and
        // the verification is proven by the target folders' counts (the ledger accounts for every message and each
        // folder holds exactly that many): no header is read at all.
        var firstCommands = proxy.TakeCommands();
        Assert.DoesNotContain(firstCommands, c => c.Contains("INTERNALDATE", StringComparison.Ordinal) && c.Contains("HEADER.FIELDS", StringComparison.Ordinal));
        Assert.Equal(0, HeaderReads(firstCommands));

        using (var raw = new RawImapClient(dovecot.PlainPort, source.Address, source.Password))
        {
            raw.Append("INBOX", [new Seed(Corpus.Message("late", "c4@x"))]);
        }

        // Only INBOX moved (UIDNEXT): Quiet is not even listed.
        var second = await RunAsync(plan, "apply", "--delta", "--verbosity", "detailed");
        Assert.True(second.Exit == 0, second.Text);
        Assert.Contains("Copied 1 messages", second.Text, StringComparison.Ordinal);
        Assert.Contains("Folder Quiet is unchanged since the last pass", second.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Folder INBOX is unchanged", second.Text, StringComparison.Ordinal);
        // The target INBOX holds what the ledger put there (asked by count): only the verification reads its headers
        // (a pass that listed the source from its cursor on knows only the new messages' keys, so counts prove nothing).
        Assert.Equal(1, HeaderReads(proxy.TakeCommands()));

        var idle = await RunAsync(plan, "apply", "--delta", "--verbosity", "detailed");
        Assert.True(idle.Exit == 0, idle.Text);
        Assert.Contains("Copied 0 messages", idle.Text, StringComparison.Ordinal);
        Assert.Contains("Folder INBOX is unchanged since the last pass", idle.Text, StringComparison.Ordinal);
        // Nothing changed: no header is read, the target's folders are listed once for both folders ensured, and the
        // counts of the three come from one LIST-STATUS instead of a STATUS each.
        var idleCommands = proxy.TakeCommands();
        Assert.Equal(0, HeaderReads(idleCommands));
        Assert.Single(idleCommands, c => c == "LIST \"\" \"*\" RETURN (SUBSCRIBED CHILDREN)");
        Assert.DoesNotContain(idleCommands, c => c.StartsWith("STATUS ", StringComparison.Ordinal));

        // Someone deletes a copy in the target: the unchanged source folder is still checked (by count) and the loss reported.
        using (var raw = new RawImapClient(dovecot.PlainPort, target.Address, target.Password))
        {
            raw.Command("SELECT Quiet");
            raw.Command("UID STORE 1:* +FLAGS (\\Deleted)");
            raw.Command("EXPUNGE");
        }

        var after = await RunAsync(plan, "apply", "--delta");
        Assert.NotEqual(0, after.Exit);
        Assert.Contains("MIG0553", after.Text, StringComparison.Ordinal);
        Assert.Contains("folder Quiet: 1 of 1 source messages are not in the target", after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_throttling_answers_are_waited_out_with_the_suggested_backoff_and_lose_nothing()
    {
        var source = dovecot.NewUser("throttle-src");
        var target = dovecot.NewUser("throttle-dst");
        var date = new DateTimeOffset(2023, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using (var raw = new RawImapClient(dovecot.PlainPort, source.Address, source.Password))
        {
            raw.Append("INBOX", Enumerable.Range(0, 120).Select(i => new Seed(Corpus.Message($"throttled {i}", $"t{i}@x"), i % 3 == 0 ? "\\Seen" : "", date)).ToList());
        }

        // Exchange Online's answers: a NO with a suggested back-off on a fetch, and on an APPEND a BAD followed by BYE.
        await using var proxy = new ThrottlingProxy(dovecot.PlainPort,
            new ThrottleRule(c => c.StartsWith("UID FETCH", StringComparison.Ordinal) && c.Contains("BODY.PEEK[]", StringComparison.Ordinal),
                "{tag} NO Request is throttled. Suggested Backoff Time: 300 milliseconds"),
            new ThrottleRule(c => c.StartsWith("APPEND", StringComparison.Ordinal),
                "{tag} BAD Request is throttled. Suggested Backoff Time: 200 milliseconds", ThenClose: true),
            new ThrottleRule(c => c.StartsWith("APPEND", StringComparison.Ordinal),
                "{tag} NO Request is throttled. Suggested Backoff Time: 100 milliseconds"));
        using var temp = new TempDirectory("imap-throttle");
        var folder = temp.Path;
        var plan = await WriteMasterUserPlanAsync(folder, "throttle", "throttled", proxy.Port, source.Address, target.Address, migrationExtra: "concurrency:\n  mailboxes: 1\n  connectionsPerMailbox: 1");

        var run = await RunAsync(plan, "apply", "--verbosity", "detailed");

        Assert.True(run.Exit == 0, run.Text);
        Assert.Equal(3, proxy.Answered.Count);
        Assert.Contains("Copied 120 messages", run.Text, StringComparison.Ordinal);
        Assert.Contains("Request is throttled", run.Text, StringComparison.Ordinal);
        // Each wait is the one the server suggested.
        Assert.Contains("The server asked to wait, retry 1 in \"00:00:00.3000000\"", run.Text, StringComparison.Ordinal);
        Assert.Contains("The server asked to wait, retry 2 in \"00:00:00.2000000\"", run.Text, StringComparison.Ordinal);
        Assert.Contains("The server asked to wait, retry 3 in \"00:00:00.1000000\"", run.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("one by one", run.Text, StringComparison.Ordinal);
        AssertSameMail(source, target, ["INBOX"]);
    }

    /// <summary>The admin passwords the plans refer to (env:OLDMAIL_ADMIN_PASSWORD, env:NEWMAIL_ADMIN_PASSWORD): Dovecot's master user.</summary>
    private static void UseAdminPasswords()
    {
        Environment.SetEnvironmentVariable("OLDMAIL_ADMIN_PASSWORD", DovecotFixture.MasterPassword);
        Environment.SetEnvironmentVariable("NEWMAIL_ADMIN_PASSWORD", DovecotFixture.MasterPassword);
    }

    /// <summary>
    /// Writes <c>{planName}.yaml</c> into <paramref name="folder"/>: a plan copying one mailbox between two plain-IMAP
    /// endpoints on <paramref name="port"/> (the source on <paramref name="sourcePort"/> when given), logging in as the master
    /// user (whose password it sets). Returns its path.
    /// </summary>
    internal static async Task<string> WriteMasterUserPlanAsync(string folder, string planName, string migrationName, int port, string sourceAddress, string targetAddress,
        string sourceExtra = "", string migrationExtra = "", string targetExtra = "", int? sourcePort = null)
    {
        static string Indent(string lines, int spaces) =>
            string.Join('\n', lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => new string(' ', spaces) + line));

        var plan = Path.Combine(folder, planName + ".yaml");
        UseAdminPasswords();
        await File.WriteAllTextAsync(plan, $$"""
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: {{planName}}
            spec:
              sources:
                old:
                  type: imap
                  host: 127.0.0.1
                  port: {{sourcePort ?? port}}
                  tls: none
                  allowInsecure: true
            {{Indent(sourceExtra, 6)}}
                  auth:
                    username: '{mailbox}*admin'
                    password: env:OLDMAIL_ADMIN_PASSWORD
              targets:
                new:
                  type: imap
                  host: 127.0.0.1
                  port: {{port}}
                  tls: none
                  allowInsecure: true
            {{Indent(targetExtra, 6)}}
                  auth:
                    username: '{mailbox}*admin'
                    password: env:NEWMAIL_ADMIN_PASSWORD
              mailboxSets:
                one:
                  mailboxes:
                    - source: {{sourceAddress}}
                      target: {{targetAddress}}
              migrations:
                - name: {{migrationName}}
                  type: imap
                  from: old
                  to: new
                  mailboxSets: [one]
            {{Indent(migrationExtra, 6)}}
            """);

        return plan;
    }

    private void AssertSameMail(TestUser from, TestUser to, string[] folders)
    {
        using var source = new RawImapClient(dovecot.PlainPort, from.Address, from.Password);
        using var target = new RawImapClient(dovecot.PlainPort, to.Address, to.Password);
        foreach (var name in folders)
        {
            var expected = source.FetchAll(name).Select(m => (Corpus.Sha(m.Body), string.Join(' ', m.Flags.Where(f => f != "\\Recent").Order()), m.InternalDate)).Order().ToList();
            var actual = target.FetchAll(name).Select(m => (Corpus.Sha(m.Body), string.Join(' ', m.Flags.Where(f => f != "\\Recent").Order()), m.InternalDate)).Order().ToList();
            Assert.Equal(expected, actual);
        }
    }

    private Task<(int Exit, string Text)> RunAsync(string planFile, string verb, params string[] extra) => RunCliAsync(output, planFile, verb, extra);

    /// <summary>Runs the CLI in process on a plan; the output goes to the test's log too.</summary>
    internal static async Task<(int Exit, string Text)> RunCliAsync(ITestOutputHelper output, string planFile, string verb, params string[] extra)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync([verb, planFile, .. extra], stdout, stderr);
        var text = stdout + stderr.ToString();
        output.WriteLine($"$ migrate {verb} {string.Join(' ', extra)} -> {exit}\n{text}");
        return (exit, text);
    }
}
