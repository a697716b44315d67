using System.Globalization;
using System.Text;
using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Cli;
using MigrationEngine.TestSupport;
using Xunit.Abstractions;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// What a whole `apply` costs in HTTP requests per copied message with importMime: 1,000 messages in 12 folders (half of
/// them read, one in ten flagged) into an empty mailbox, through the real CLI. Folder, user, owner-marker, flag-batch and
/// verification requests all count (issue 16: at most 1.05). The floor is one importMime per message, one $batch per 20
/// read/flagged messages (0.025 here) and one POST per folder created; the rest is a handful per mailbox.
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphRequestBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AnApplyOf1000MessagesIn12FoldersCostsAtMost105RequestsPerMessage()
    {
        using var temp = new TempDirectory("graph-budget");
        var folder = temp.Path;
        await using var emulator = await GraphEmulator.StartAsync(folder);
        const string user = "budget@contoso.com";
        emulator.AddUser(user);
        await File.WriteAllTextAsync(Path.Combine(folder, "secret.txt"), GraphEmulator.ClientSecret + "\n");
        var folders = new[] { string.Empty, ".Sent", ".Archive" }.Concat(Enumerable.Range(1, 9).Select(i => $".Projects.P{i}")).ToArray();
        const int messages = 1000;
        for (var n = 0; n < messages; n++)
        {
            var sub = folders[n % folders.Length];
            foreach (var part in new[] { "cur", "new", "tmp" })
            {
                Directory.CreateDirectory(Path.Combine(folder, "src", user, sub, part));
            }

            var flags = (n % 2 == 0 ? "S" : string.Empty) + (n % 10 == 0 ? "F" : string.Empty);
            var bytes = Encoding.UTF8.GetBytes($"From: a@example.org\r\nTo: {user}\r\nSubject: m{n}\r\nDate: Tue, 2 Jan 2024 {10 + n / 3600:00}:{n / 60 % 60:00}:{n % 60:00} +0000\r\nMessage-ID: <m{n}@budget>\r\n\r\nBody {n}\r\n");
            var name = string.Create(CultureInfo.InvariantCulture, $"170000{n:0000}.M{n}P1.budget:2,{(flags.Contains('F') ? "F" : string.Empty)}{(flags.Contains('S') ? "S" : string.Empty)}");
            await File.WriteAllBytesAsync(Path.Combine(folder, "src", user, sub, "cur", name), bytes);
        }

        var plan = await GraphPlanEndToEndTests.WritePlanAsync(folder, emulator, "graph-budget", user);

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["apply", plan], stdout, stderr);
        var text = stdout + stderr.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains($"Copied {messages} messages", text, StringComparison.Ordinal);
        Assert.Equal(messages, emulator.MessageCount(user));
        var requests = emulator.ClientRequestLog.Where(l => l.Contains("/v1.0/", StringComparison.Ordinal) || l.Contains("/beta/", StringComparison.Ordinal)).ToList();
        var perMessage = requests.Count / (double)messages;
        output.WriteLine($"{requests.Count} Graph requests for {messages} messages: {perMessage:0.000} per message");
        foreach (var group in requests.GroupBy(Shape).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"{group.Count(),5}  {group.Key}");
        }

        var line = text.Split('\n').Single(l => l.StartsWith("Target requests: ", StringComparison.Ordinal));
        output.WriteLine(line);
        Assert.True(perMessage <= 1.05, $"{perMessage:0.000} requests per message:\n{string.Join('\n', requests)}");
    }

    /// <summary>The request without ids: method, path with ids replaced, query names.</summary>
    private static string Shape(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var path = line[(space + 1)..];
        var query = path.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? path[q..] : string.Empty;
        path = query.Length > 0 ? path[..path.IndexOf('?', StringComparison.Ordinal)] : path;
        var segments = path.Split('/').Select(s => s.Length > 20 || s.StartsWith("FAAMkAD", StringComparison.Ordinal) ? "{id}" : s);
        return line[..space] + " " + string.Join('/', segments) + (query.Length > 0 ? " ?" + string.Join('&', query.TrimStart('?').Split('&').Select(p => p.Split('=')[0])) : string.Empty);
    }
}
