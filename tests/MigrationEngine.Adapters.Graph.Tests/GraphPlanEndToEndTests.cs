using System.Security.Cryptography;
using System.Text;
using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Cli;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// A plan with a graph target, run through the real CLI: Maildir mail arrives in the emulator's mailbox byte for byte,
/// a re-run copies nothing, a lost state duplicates nothing, and the client secret appears in no output.
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphPlanEndToEndTests
{
    [Fact]
    public async Task Apply_imports_maildir_mail_into_exchange_online_once()
    {
        using var temp = new TempDirectory("graph-plan");
        var folder = temp.Path;
        await using var emulator = await GraphEmulator.StartAsync(folder);
        const string user = "megan@contoso.com";
        emulator.AddUser(user);
        await File.WriteAllTextAsync(Path.Combine(folder, "secret.txt"), GraphEmulator.ClientSecret + "\n");
        var expected = new List<string>();
        foreach (var (sub, count) in new[] { (string.Empty, 12), (".Sent", 5), (".Projects.2024", 4) })
        {
            foreach (var part in new[] { "cur", "new", "tmp" })
            {
                Directory.CreateDirectory(Path.Combine(folder, "src", user, sub, part));
            }

            for (var i = 0; i < count; i++)
            {
                var bytes = Encoding.UTF8.GetBytes($"From: a@example.org\r\nTo: {user}\r\nSubject: {sub} {i}\r\nDate: Tue, 2 Jan 2024 10:00:{i:00} +0000\r\nMessage-ID: <{sub}.{i}@e2e>\r\n\r\nBody {i}\r\n");
                await File.WriteAllBytesAsync(Path.Combine(folder, "src", user, sub, "cur", $"17000000{i:00}.M{i}P1.e2e{sub}:2,S"), bytes);
                expected.Add(Convert.ToHexStringLower(SHA256.HashData(bytes)));
            }
        }

        var plan = await WritePlanAsync(folder, emulator, "graph-e2e", user);

        var first = await RunAsync("apply", plan);
        Assert.True(first.Exit == 0, first.Text);
        Assert.Contains("Copied 21 messages", first.Text, StringComparison.Ordinal);
        // 21 importMime requests, the 21 read messages' flags in 2 batches, and the folder and mailbox requests.
        var requestsLine = first.Text.Split('\n').Single(l => l.StartsWith("Target requests: ", StringComparison.Ordinal));
        Assert.Matches(@"^Target requests: \d+ \(1\.\d{3} per copied message\)\.", requestsLine);
        Assert.Equal(21, emulator.MessageCount(user));
        // Empty target folders need no presence listing and their counts prove the copy: no message is listed.
        Assert.DoesNotContain(emulator.RequestLog, l => l.StartsWith("GET", StringComparison.Ordinal) && l.Contains("/messages?", StringComparison.Ordinal));
        Assert.Equal(12, emulator.MessagesIn(user, "inbox").Count);
        Assert.Equal(5, emulator.MessagesIn(user, "sentitems").Count);
        Assert.NotNull(emulator.FindFolderByPath(user, "Projects", "2024"));
        var arrived = new[] { "inbox", "sentitems" }.SelectMany(f => emulator.MessagesIn(user, f))
            .Concat(emulator.MessagesIn(user, emulator.FindFolderByPath(user, "Projects", "2024")!.Id))
            .Select(m => Convert.ToHexStringLower(SHA256.HashData(m.Mime!)));
        Assert.Equal(expected.Order(), arrived.Order());

        var second = await RunAsync("apply", plan);
        Assert.Contains("Copied 0 messages", second.Text, StringComparison.Ordinal);

        // New mail in the inbox: a delta pass learns from the folder's count that the target inbox holds nothing the
        // ledger does not know, and the verification is proven by the folders' counts too: no message listing at all.
        var late = Encoding.UTF8.GetBytes($"From: a@example.org\r\nTo: {user}\r\nSubject: late\r\nDate: Wed, 3 Jan 2024 10:00:00 +0000\r\nMessage-ID: <late@e2e>\r\n\r\nLate\r\n");
        await File.WriteAllBytesAsync(Path.Combine(folder, "src", user, "cur", "1700000099.M99P1.e2e:2,S"), late);
        var listingsBefore = emulator.RequestLog.Count(l => l.StartsWith("GET", StringComparison.Ordinal) && l.Contains("/messages?", StringComparison.Ordinal));
        var delta = await RunAsync("apply", plan, "--delta");
        Assert.True(delta.Exit == 0, delta.Text);
        Assert.Contains("Copied 1 messages", delta.Text, StringComparison.Ordinal);
        Assert.Equal(13, emulator.MessagesIn(user, "inbox").Count);
        Assert.Equal(0, emulator.RequestLog.Count(l => l.StartsWith("GET", StringComparison.Ordinal) && l.Contains("/messages?", StringComparison.Ordinal)) - listingsBefore);
        Assert.Contains(emulator.RequestLog, l => l.Contains("totalItemCount", StringComparison.Ordinal));

        File.Delete(Path.Combine(folder, ".migrate", "state.db"));
        var lostState = await RunAsync("apply", plan);
        Assert.True(lostState.Exit == 0, lostState.Text);
        Assert.Contains("Copied 0 messages", lostState.Text, StringComparison.Ordinal);
        Assert.Equal(22, emulator.MessageCount(user));

        var everything = first.Text + second.Text + delta.Text + lostState.Text + string.Concat(
            Directory.EnumerateFiles(Path.Combine(folder, ".migrate"), "*", SearchOption.AllDirectories).Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        Assert.DoesNotContain(GraphEmulator.ClientSecret, everything, StringComparison.Ordinal);
    }

    /// <summary>A plan copying the Maildir under src/ of <paramref name="folder"/> into one emulator mailbox.</summary>
    internal static async Task<string> WritePlanAsync(string folder, GraphEmulator emulator, string name, string user)
    {
        var plan = Path.Combine(folder, "plan.yaml");
        await File.WriteAllTextAsync(plan, $"""
                apiVersion: migration-engine/v1
                kind: MigrationPlan
                metadata:
                  name: {name}
                spec:
                  sources:
                    files:
                      type: maildir
                      path: src
                  targets:
                    exo:
                      type: graph
                      tenantId: {GraphEmulator.TenantId}
                      clientId: {GraphEmulator.ClientId}
                      clientSecret: file:secret.txt
                      endpoint: {emulator.BaseUrl}
                      authorityHost: {emulator.AuthorityHost}
                      caFile: {emulator.CaFile}
                  mailboxSets:
                    users:
                      mailboxes:
                        - source: {user}
                          target: {user}
                  migrations:
                    - name: to-exo
                      type: import
                      from: files
                      to: exo
                      mailboxSets: [users]
                """);
        return plan;
    }

    private static async Task<(int Exit, string Text)> RunAsync(string verb, string plan, params string[] options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync([verb, plan, .. options], stdout, stderr);
        return (exit, stdout + stderr.ToString());
    }
}
