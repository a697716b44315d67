using System.Diagnostics;
using System.Globalization;
using MigrationEngine.Adapters.Files;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

// Usage: Harness <source-type> <source-path> <target-path> <address> [batch-size]
// Lists, fetches in batches and appends every message of one mailbox, then prints "messages bytes seconds".
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: Harness <mbox|maildir|eml> <source-path> <target-path> <address> [batch-size]");
    return 2;
}

var batchSize = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 100;
var location = new SourceLocation("bench.yaml", 1, 1);
var plan = new PlanModel { Name = "bench", PlanFile = Path.GetFullPath("bench.yaml"), ContentHash = "0" };
var migration = new MigrationDefinition { Name = "bench", Type = MigrationType.Import, From = "src", To = "dst", Location = location, CanonicalSettings = "{}" };
var mailbox = new MailboxEntry { SourceAddress = args[3], TargetAddress = args[3], Location = location };
EndpointDefinition Endpoint(EndpointRole role, string type, string path) => new()
{
    Name = role.ToString(), Role = role, Type = PlanVocabulary.EndpointTypes.Parse(type) ?? EndpointType.Unknown, Path = Path.GetFullPath(path), Location = location, CanonicalSettings = "{}",
};

var stopwatch = Stopwatch.StartNew();
await using var source = await new FileSourceFactory().OpenAsync(
    new MailboxContext(plan, migration, Endpoint(EndpointRole.Source, args[0], args[1]), mailbox, Serilog.Core.Logger.None), CancellationToken.None);
await using var target = await new MaildirTargetFactory().OpenAsync(
    new MailboxContext(plan, migration, Endpoint(EndpointRole.Target, "maildir", args[2]), mailbox, Serilog.Core.Logger.None), CancellationToken.None);

long messages = 0;
long bytes = 0;
foreach (var folder in await source.ListFoldersAsync(CancellationToken.None))
{
    var targetFolder = await target.EnsureFolderAsync(folder.Path, folder.SpecialUse, CancellationToken.None);
    var batch = new List<SourceMessage>(batchSize);
    await foreach (var summary in source.ListMessagesAsync(folder, null, CancellationToken.None))
    {
        batch.Add(summary);
        if (batch.Count == batchSize)
        {
            await CopyAsync(folder, targetFolder, batch);
            batch.Clear();
        }
    }

    await CopyAsync(folder, targetFolder, batch);
}

stopwatch.Stop();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{messages} {bytes} {stopwatch.Elapsed.TotalSeconds:F3}"));
return 0;

async Task CopyAsync(SourceFolder folder, TargetFolder targetFolder, List<SourceMessage> batch)
{
    if (batch.Count == 0)
    {
        return;
    }

    var contents = new List<MessageContent>(batch.Count);
    await foreach (var content in source.FetchAsync(folder, batch, CancellationToken.None))
    {
        contents.Add(content);
    }

    var results = await target.AppendAsync(targetFolder, contents, CancellationToken.None);
    foreach (var content in contents)
    {
        bytes += content.Length;
        await content.DisposeAsync();
    }

    messages += results.Count;
}
