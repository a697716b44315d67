using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MigrationEngine.TestSupport;
using Xunit.Abstractions;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// <c>migrate inventory</c> against the fixture's Dovecot with planted cases: a 40 MB message, a folder with a name Exchange
/// keeps (Calendar), two folders that differ only in case. Each is found with its code and the plan line to change, counts
/// and sizes come from the listing (FETCH RFC822.SIZE INTERNALDATE: no message is opened, none becomes \Seen), and the
/// inventory is what plan --forecast reads afterwards.
/// </summary>
[Collection(DovecotCollection.Name)]
[Trait("Category", "Server")]
public sealed class InventoryOnDovecotTests(DovecotFixture dovecot, ITestOutputHelper output)
{
    private const long FortyMegabytes = 40L * 1024 * 1024;

    [Fact]
    public async Task Planted_cases_are_found_with_the_right_code_and_plan_line_and_no_message_is_read()
    {
        var user = dovecot.NewUser("inventory-planted");
        var date = new DateTimeOffset(2021, 6, 1, 12, 0, 0, TimeSpan.Zero);
        using (var raw = new RawImapClient(dovecot.PlainPort, user.Address, user.Password))
        {
            raw.Create("Calendar");
            raw.Create("Projects");
            raw.Create("projects");
            raw.Append("INBOX", [new(Corpus.Message("small", "small@x"), "", date), new(Large(), "", date.AddDays(1))]);
            raw.Append("Calendar", [new(Corpus.Message("meeting", "meeting@x"), "", date)]);
            raw.Append("Projects", [new(Corpus.Message("upper", "upper@x"), "", date)]);
            raw.Append("projects", [new(Corpus.Message("lower", "lower@x"), "", date)]);
        }

        using var temp = new TempDirectory("inventory-plan");
        var folder = temp.Path;
        var plan = Path.Combine(folder, "plan.yaml");
        File.WriteAllText(plan, PlanText(dovecot.PlainPort, user));

        var clock = Stopwatch.StartNew();
        var (exit, text) = await PlanEndToEndTests.RunCliAsync(output, plan, "inventory", "--output", "json");
        output.WriteLine($"FIGURE: inventory of one mailbox (4 folders, one 40 MB message) on Dovecot: {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.True(exit == 0, text);
        var json = text[..(text.LastIndexOf('}') + 1)];
        using var document = JsonDocument.Parse(json);
        var findings = document.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => (Code: f.GetProperty("code").GetString(), Line: f.GetProperty("line").GetInt32(), Message: f.GetProperty("message").GetString()!)).ToList();
        // Line 28 is the migration's name (no filters yet), 33 its 'folders'.
        Assert.Contains(findings, f => f is { Code: "MIG1410", Line: 28 } && f.Message.Contains("folder 'INBOX': 1 message(s) larger than 35 MB", StringComparison.Ordinal));
        Assert.Contains(findings, f => f is { Code: "MIG1423", Line: 33 } && f.Message.Contains("folder 'Calendar'", StringComparison.Ordinal));
        Assert.Contains(findings, f => f is { Code: "MIG1422", Line: 33 } && f.Message.Contains("'Projects' and 'projects'", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Code == "MIG1411");

        var mailbox = document.RootElement.GetProperty("mailboxes")[0];
        Assert.Equal(5, mailbox.GetProperty("messages").GetInt64());
        var inbox = mailbox.GetProperty("folders").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "INBOX");
        Assert.Equal(2, inbox.GetProperty("messages").GetInt64());
        Assert.Equal(FortyMegabytes, inbox.GetProperty("largest")[0].GetProperty("size").GetInt64());
        Assert.Equal("2021-06-02T12:00:00.0000000Z", inbox.GetProperty("newest").GetString());

        // Listing only: no message was opened, so none became \Seen.
        using (var raw = new RawImapClient(dovecot.PlainPort, user.Address, user.Password))
        {
            Assert.All(raw.FetchAll("projects").Concat(raw.FetchAll("Calendar")), m => Assert.DoesNotContain("\\Seen", m.Flags));
        }

        var (forecastExit, forecast) = await PlanEndToEndTests.RunCliAsync(output, plan, "plan", "--forecast");
        Assert.True(forecastExit == 0, forecast);
        Assert.Contains("Graph 150 MB / 5 min", forecast, StringComparison.Ordinal);
    }

    /// <summary>A 40 MB message: headers, then a body of short lines.</summary>
    private static byte[] Large()
    {
        var head = Encoding.ASCII.GetBytes("From: big@example.test\r\nTo: user@example.test\r\nSubject: large\r\nMessage-ID: <large@x>\r\n\r\n");
        var bytes = new byte[FortyMegabytes];
        head.CopyTo(bytes, 0);
        for (var i = head.Length; i < bytes.Length; i++)
        {
            bytes[i] = (i % 78) switch { 76 => (byte)'\r', 77 => (byte)'\n', _ => (byte)'x' };
        }

        return bytes;
    }

    private static string PlanText(int port, TestUser user) => $$"""
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: inventory-dovecot
        spec:
          sources:
            old:
              type: imap
              host: 127.0.0.1
              port: {{port}}
              tls: none
              allowInsecure: true
              auth:
                username: '{mailbox}'
                password: {{user.SecretReference}}
          targets:
            cloud:
              type: graph
              tenantId: 00000000-0000-0000-0000-000000000000
              clientId: 11111111-1111-1111-1111-111111111111
              clientSecret: env:GRAPH_SECRET
          mailboxSets:
            users:
              mailboxes:
                - source: {{user.Address}}
                  target: {{user.Address}}
          migrations:
            - name: move
              type: imap
              from: old
              to: cloud
              mailboxSets: [users]
              folders:
                exclude: [Trash]
        """;
}
