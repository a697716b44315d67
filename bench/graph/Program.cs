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
Console.WriteLine($"generated {count} messages, {messages.Sum(m => (long)m.Bytes.Length) / 1024} KiB in total");

foreach (var (label, rate) in new[] { ("no throttling", 0.0), ($"random 429 on {rate100(throttleRate)}% of mailbox requests, Retry-After 1 s", throttleRate) })
{
    await using var emulator = await GraphEmulator.StartAsync(directory);
    emulator.RandomThrottleRate = rate;
    emulator.AddUser("bench@contoso.example");
    using var factory = new GraphTargetFactory();
    var context = Context(emulator, directory, "bench@contoso.example");
    var clock = Stopwatch.StartNew();
    await using (var target = await factory.OpenAsync(context, CancellationToken.None))
    {
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, CancellationToken.None);
        // Two writers per mailbox, 50 messages per call, as the executor does with connectionsPerMailbox: 2.
        var batches = messages.Chunk(50).ToList();
        var next = -1;
        var rejected = 0;
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                var contents = batches[index].Select(m => new MessageContent(m.Summary, new MemoryStream(m.Bytes), m.Bytes.Length)).ToList();
                var results = await target.AppendAsync(folder, contents, CancellationToken.None);
                Interlocked.Add(ref rejected, results.Count(r => r.Rejected));
            }
        }));
        clock.Stop();
        var m = factory.Metrics;
        Console.WriteLine();
        Console.WriteLine($"== {label}");
        Console.WriteLine($"messages        {m.Messages} (rejected {rejected}, stored {emulator.MessageCount("bench@contoso.example")})");
        Console.WriteLine($"elapsed         {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"messages/s      {m.Messages / clock.Elapsed.TotalSeconds:F0}");
        Console.WriteLine($"requests        {m.Requests} ({m.RequestsPerMessage:F3} per message, incl. the 2 preflight requests and retries)");
        Console.WriteLine($"Retry-After     {m.RetryAfterWaits} waits, {m.ThrottleWaitTime.TotalSeconds:F1} s in total");
        Console.WriteLine($"budget waits    {m.BudgetWaitTime.TotalSeconds:F1} s");
        Console.WriteLine($"max concurrency {emulator.MaxObservedConcurrency} per mailbox (rejected by the server: {emulator.ConcurrencyRejections})");
    }
}

Directory.Delete(directory, recursive: true);

static string rate100(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture);

static MailboxContext Context(GraphEmulator emulator, string directory, string address)
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
        CanonicalSettings = "{}",
    };
    var plan = new PlanModel { Name = "bench", PlanFile = planFile, ContentHash = "0" };
    var migration = new MigrationDefinition { Name = "bench", Type = "imap", From = "a", To = "o365", Location = new SourceLocation(planFile, 1, 1), CanonicalSettings = "{}" };
    var mailbox = new MailboxEntry { SourceAddress = address, TargetAddress = address, Location = new SourceLocation(planFile, 1, 1) };
    return new MailboxContext(plan, migration, endpoint, mailbox, new LoggerConfiguration().CreateLogger());
}

static List<(byte[] Bytes, MessageSummary Summary)> Generate(int count)
{
    var random = new Random(42);
    var list = new List<(byte[], MessageSummary)>(count);
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
        var flags = (i % 2 == 0 ? MessageFlags.Seen : MessageFlags.None) | (i % 10 == 0 ? MessageFlags.Flagged : MessageFlags.None);
        var summary = new MessageSummary
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
