using System.Text.Json;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// <c>migrate inventory</c> on a Maildir source bound for a Graph target (no server: inventory reads only the sources): the
/// planted cases (a 40 MB message, a folder with a name Exchange keeps, two folders that differ only in case) each give their
/// code at the plan line to change; the Markdown is golden; the inventory is recorded in state.
/// </summary>
[Trait("Category", "Unit")]
public sealed class InventoryCommandTests
{
    internal const string PlanText = """
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: inventory-test
        spec:
          sources:
            files:
              type: maildir
              path: src
          targets:
            cloud:
              type: graph
              tenantId: 00000000-0000-0000-0000-000000000000
              clientId: 11111111-1111-1111-1111-111111111111
              clientSecret: env:GRAPH_SECRET
          mailboxSets:
            users:
              mailboxes:
                - source: alice@example.test
                  target: alice@example.test
                - source: bob@example.test
                  target: bob@example.test
          migrations:
            - name: move
              type: import
              from: files
              to: cloud
              mailboxSets: [users]
              folders:
                exclude: [Trash]
        """;

    /// <summary>Writes the plan and its Maildir++ source: alice has the planted cases, bob two small messages.</summary>
    internal static string Plant(TempDirectory temp)
    {
        File.WriteAllText(temp.Combine("plan.yaml"), PlanText);
        var alice = temp.Combine("src", "alice@example.test");
        Message(alice, "", "1700000001.M1P1.host:2,S", 2_000, "2020-01-02");
        Message(alice, "", "1700000002.M2P1.host:2,S", 40L * 1024 * 1024, "2021-03-04");
        Message(alice, ".Projects", "1700000003.M3P1.host:2,S", 5L * 1024 * 1024, "2022-05-06");
        Message(alice, ".projects", "1700000004.M4P1.host:2,", 3_000, "2023-07-08");
        Message(alice, ".Calendar", "1700000005.M5P1.host:2,", 1_000, "2019-09-10");
        Message(alice, ".Trash", "1700000006.M6P1.host:2,", 1_000, "2019-09-10");
        var bob = temp.Combine("src", "bob@example.test");
        Message(bob, "", "1700000007.M7P1.host:2,S", 1_500, "2024-01-01");
        Message(bob, "", "1700000008.M8P1.host:2,S", 2_500, "2024-02-01");
        return temp.Combine("plan.yaml");
    }

    /// <summary>A message of exactly <paramref name="size"/> bytes; the body past the headers is a sparse run of spaces' worth of zeros.</summary>
    private static void Message(string mailbox, string folder, string name, long size, string date)
    {
        var root = Path.Combine(mailbox, folder);
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(root, sub));
        }

        var path = Path.Combine(root, "cur", name);
        using var file = File.Create(path);
        var headers = System.Text.Encoding.ASCII.GetBytes($"From: a@example.test\r\nTo: b@example.test\r\nSubject: {name}\r\nMessage-ID: <{name}@example.test>\r\nDate: {date}\r\n\r\n");
        file.Write(headers);
        file.SetLength(size);
        File.SetLastWriteTimeUtc(path, DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime());
    }

    [Fact]
    public async Task Planted_cases_are_found_with_their_codes_and_plan_lines()
    {
        using var temp = new TempDirectory();
        Plant(temp);
        var result = await MigrateCli.RunAsync(temp.Path, "inventory", "plan.yaml", "--output", "markdown");
        Assert.True(result.ExitCode == 0, result.All);

        // The size findings point at the migration's filters (none yet: its name), the Graph one at 'to', the folder findings at 'folders'.
        Assert.True(result.Error.Contains("plan.yaml(24,13): warning MIG1410: mailbox alice@example.test, folder 'INBOX': 1 message(s) larger than 35 MB", StringComparison.Ordinal), result.Error);
        Assert.True(result.Error.Contains("plan.yaml(27,7): warning MIG1412: mailbox alice@example.test: 2 message(s)", StringComparison.Ordinal), result.Error);
        Assert.True(result.Error.Contains("plan.yaml(29,7): warning MIG1423: mailbox alice@example.test: folder 'Calendar' becomes 'Calendar'", StringComparison.Ordinal), result.Error);
        Assert.True(result.Error.Contains("plan.yaml(29,7): warning MIG1422: mailbox alice@example.test: folders 'Projects' and 'projects' differ only in case", StringComparison.Ordinal), result.Error);
        Assert.DoesNotContain("MIG1422: mailbox bob", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("'Trash'", result.Error, StringComparison.Ordinal);
        Golden.Assert(Path.Combine("inventory", "inventory.md"), result.Out);
    }

    [Fact]
    public async Task Json_counts_every_message_once_and_the_inventory_is_kept_in_state()
    {
        using var temp = new TempDirectory();
        Plant(temp);
        var result = await MigrateCli.RunAsync(temp.Path, "inventory", "plan.yaml", "--output", "json", "--out", "inventory.json");
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(string.Empty, result.Out);

        using var json = JsonDocument.Parse(File.ReadAllText(temp.Combine("inventory.json")));
        var totals = json.RootElement.GetProperty("totals");
        // alice: 5 messages to move (Trash is left out by folders.exclude, listed but not counted); bob: 2.
        Assert.Equal(7, totals.GetProperty("messages").GetInt64());
        Assert.Equal(2_000 + 40L * 1024 * 1024 + 5L * 1024 * 1024 + 3_000 + 1_000 + 1_500 + 2_500, totals.GetProperty("bytes").GetInt64());
        var alice = json.RootElement.GetProperty("mailboxes")[0];
        var trash = alice.GetProperty("folders").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "Trash");
        Assert.Equal("folders.exclude 'Trash'", trash.GetProperty("excluded_by").GetString());
        var inbox = alice.GetProperty("folders").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "INBOX");
        Assert.Equal(1, inbox.GetProperty("size_classes").GetProperty("<=150MB").GetInt64());
        Assert.Equal(40L * 1024 * 1024, inbox.GetProperty("largest")[0].GetProperty("size").GetInt64());

        // Recorded in state: plan --forecast reads it without reading the sources again.
        Assert.True(File.Exists(temp.Combine(".migrate", "state.db")));
        var again = await MigrateCli.RunAsync(temp.Path, "inventory", "plan.yaml", "--mailbox", "bob@example.test", "--output", "json");
        Assert.True(again.ExitCode == 0, again.All);
        using var one = JsonDocument.Parse(again.Out);
        Assert.Single(one.RootElement.GetProperty("mailboxes").EnumerateArray());
    }

    [Fact]
    public async Task Plan_forecast_reads_the_inventory_from_state_and_says_which_rate_it_used()
    {
        using var temp = new TempDirectory();
        Plant(temp);
        var before = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--forecast", "--forecast-start", "2026-01-01T00:00:00Z");
        Assert.True(before.ExitCode == 0, before.All);
        Assert.Contains("MIG1441", before.Error, StringComparison.Ordinal);

        var inventory = await MigrateCli.RunAsync(temp.Path, "inventory", "plan.yaml");
        Assert.True(inventory.ExitCode == 0, inventory.All);
        var text = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--forecast", "--forecast-start", "2026-01-01T00:00:00Z");
        Assert.True(text.ExitCode == 0, text.All);
        Assert.DoesNotContain("MIG1441", text.Error, StringComparison.Ordinal);
        Golden.Assert(Path.Combine("inventory", "forecast.txt"), text.Out);
        var markdown = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--forecast", "--forecast-start", "2026-01-01T00:00:00Z", "--output", "markdown");
        Assert.True(markdown.ExitCode == 0, markdown.All);
        Golden.Assert(Path.Combine("inventory", "forecast.md"), markdown.Out);

        var json = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--forecast", "--output", "json");
        using var document = JsonDocument.Parse(json.Out);
        Assert.False(document.RootElement.GetProperty("rate").GetProperty("measured").GetBoolean());
        // alice: 45 MB to Graph at 150 MB per 5 minutes = 90 s; the default rate would take 23 s.
        var alice = document.RootElement.GetProperty("mailboxes").EnumerateArray().Single(m => m.GetProperty("source").GetString() == "alice@example.test");
        Assert.Equal("graph_upload_window", alice.GetProperty("binding").GetString());
        Assert.Equal(["move"], document.RootElement.GetProperty("critical_path").EnumerateArray().Select(e => e.GetString()));
    }
}
