using System.Diagnostics;
using System.Globalization;
using MigrationEngine.Adapters.Graph;
using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;
using MimeKit;
using Serilog;

// Usage: GraphBench [messages] [throttleRate]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000;
var throttleRate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 0.02;
var directory = Directory.CreateTempSubdirectory("graph-bench-").FullName;
await File.WriteAllTextAsync(Path.Combine(directory, "secret.txt"), GraphEmulator.ClientSecret);
var messages = Generate(count);
// 12 folders as a mailbox has them: well-known ones and nested ones of the user's own.
string[] folders = ["INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive", "Projects", "Projects/2024", "Projects/2025", "Receipts", "Lists/dev", "Lists/ops"];
Console.WriteLine($"generated {count} messages in {folders.Length} folders, {messages.Sum(m => (long)m.Bytes.Length) / 1024} KiB in total");

foreach (var mode in new[] { "mime", "json" })
{
    foreach (var (label, rate) in new[] { ("no throttling", 0.0), ($"random 429 on {rate100(throttleRate)}% of mailbox requests (batch steps included), Retry-After 1 s", throttleRate) })
    {
        await using var emulator = await GraphEmulator.StartAsync(directory);
        emulator.RandomThrottleRate = rate;
        emulator.AddUser("bench@contoso.example");
        using var factory = new GraphTargetFactory();
        var context = Context(emulator, directory, "bench@contoso.example", mode);
        var clock = Stopwatch.StartNew();
        var rejected = 0;
        await using (var target = await factory.OpenAsync(context, CancellationToken.None))
        {
            // Two writers per mailbox, 50 messages per call, as the executor does with connectionsPerMailbox: 2.
            var batches = new List<(string Folder, (byte[] Bytes, SourceMessage Summary)[] Messages)>();
            for (var f = 0; f < folders.Length; f++)
            {
                batches.AddRange(messages.Where((_, i) => i % folders.Length == f).Chunk(50).Select(chunk => (folders[f], chunk)));
            }

            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < batches.Count)
                {
                    var folder = await target.EnsureFolderAsync(batches[index].Folder, SpecialUse.None, CancellationToken.None);
                    var contents = batches[index].Messages.Select(m => new MessageContent(m.Summary, new MemoryStream(m.Bytes), m.Bytes.Length)).ToList();
                    var results = await target.AppendAsync(folder, contents, CancellationToken.None);
                    Interlocked.Add(ref rejected, results.Count(r => r.Rejected));
                }
            }));
        }

        clock.Stop();
        var m = factory.Metrics;
        var perMinute = m.Messages / clock.Elapsed.TotalMinutes;
        // Exchange Online's ceiling for one mailbox: 150 MB of request bodies per 5 minutes.
        var bytesPerMessage = (double)m.BytesUploaded / Math.Max(1, m.Messages);
        var ceiling = 150.0 * 1024 * 1024 / 5 / bytesPerMessage;
        // ... and 10,000 requests per 10 minutes, each batch step counted.
        var requestCeiling = 1000.0 / ((double)m.ChargedRequests / Math.Max(1, m.Messages));
        Console.WriteLine();
        Console.WriteLine($"== {mode} mode, {label}");
        Console.WriteLine($"messages          {m.Messages} (rejected {rejected}, stored {emulator.MessageCount("bench@contoso.example")})");
        Console.WriteLine($"elapsed           {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"messages/min      {perMinute:F0} per mailbox against the emulator; Exchange's ceilings: {ceiling:F0}/min from 150 MB/5 min at {bytesPerMessage:F0} request bytes/message, {requestCeiling:F0}/min from 10,000 requests/10 min");
        Console.WriteLine($"requests          {m.Requests} HTTP ({m.RequestsPerMessage:F3} per message, incl. the 2 preflight requests, folders and retries); {m.ChargedRequests} as Exchange counts them (batch steps one by one)");
        Console.WriteLine($"Retry-After       {m.RetryAfterWaits} waits, {m.ThrottleWaitTime.TotalSeconds:F1} s in total");
        Console.WriteLine($"budget waits      {m.BudgetWaitTime.TotalSeconds:F1} s");
        Console.WriteLine($"in flight         peak {m.PeakInFlightPerMailbox} per mailbox (client), {emulator.MaxObservedConcurrency} (server), MailboxConcurrency 429s: {emulator.ConcurrencyRejections}");
    }
}

Directory.Delete(directory, recursive: true);

static string rate100(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture);

static MailboxContext Context(GraphEmulator emulator, string directory, string address, string importMode)
{
    var planFile = Path.Combine(directory, "plan.yaml");
    var endpoint = new EndpointDefinition
    {
        Name = "o365",
        Role = EndpointRole.Target,
        Type = "graph",
        Location = new SourceLocation(planFile, 1, 1),
        TenantId = GraphEmulator.TenantId,
        ClientId = GraphEmulator.ClientId,
        ClientSecret = SecretReference.Parse("file:secret.txt"),
        Endpoint = emulator.BaseUrl,
        AuthorityHost = emulator.AuthorityHost,
        CaFile = emulator.CaFile,
        ImportMode = importMode,
        CanonicalSettings = "{\"importMode\":\"" + importMode + "\"}",
    };
    var plan = new PlanModel { Name = "bench", PlanFile = planFile, ContentHash = "0" };
    var migration = new MigrationDefinition { Name = "bench", Type = "imap", From = "a", To = "o365", Location = new SourceLocation(planFile, 1, 1), CanonicalSettings = "{}" };
    var mailbox = new MailboxEntry { SourceAddress = address, TargetAddress = address, Location = new SourceLocation(planFile, 1, 1) };
    return new MailboxContext(plan, migration, endpoint, mailbox, new LoggerConfiguration().CreateLogger());
}

static List<(byte[] Bytes, SourceMessage Summary)> Generate(int count)
{
    var random = new Random(42);
    var list = new List<(byte[], SourceMessage)>(count);
    for (var i = 0; i < count; i++)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Sender " + (i % 37), $"sender{i % 37}@source.example"));
        message.To.Add(new MailboxAddress("Bench", "bench@contoso.example"));
        message.Subject = $"Benchmark message {i}";
        message.Date = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i * 7);
        message.MessageId = $"bench-{i}@source.example";
        message.Body = new TextPart("plain") { Text = new string((char)('a' + i % 26), 1_000 + random.Next(4_000)) };
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        var bytes = stream.ToArray();
        // Half read, one in ten flagged: what a typical mailbox carries.
        var flags = (i % 2 == 0 ? MailFlags.Seen : MailFlags.None) | (i % 10 == 0 ? MailFlags.Flagged : MailFlags.None);
        var summary = new SourceMessage
        {
            SourceId = i.ToString(CultureInfo.InvariantCulture),
            Size = bytes.Length,
            Flags = flags,
            MessageId = "<" + message.MessageId + ">",
            DedupKey = DedupKeys.Compute(message.MessageId, null, null, null),
        };
        list.Add((bytes, summary));
    }

    return list;
}
