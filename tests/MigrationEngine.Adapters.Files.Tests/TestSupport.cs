using System.Security.Cryptography;
using MigrationEngine.Core;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using MigrationEngine.State.Sqlite;
using MigrationEngine.TestSupport;
using Serilog.Core;
using Serilog.Events;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>Collects log events so that tests can assert on warnings.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    public List<LogEvent> Events { get; } = [];

    public void Emit(LogEvent logEvent)
    {
        lock (Events)
        {
            Events.Add(logEvent);
        }
    }
}

internal static class TestSupport
{
    /// <summary>
    /// A plan that imports one mailbox, <paramref name="address"/>, of the file source at <paramref name="source"/>
    /// (<paramref name="type"/>) into a Maildir at <paramref name="target"/> (migration <c>m</c>), one mailbox at a time on
    /// <paramref name="pairs"/> connection pairs.
    /// </summary>
    public static string OneMailboxImportPlan(string name, string type, string source, string target, string address, int pairs) =>
        PlanYaml.FileImport(name, type, source, target, [address], migration: "m",
            extraMigration: $"      concurrency:\n        mailboxes: 1\n        connectionsPerMailbox: {pairs}\n");

    /// <summary><paramref name="count"/> small messages to <paramref name="address"/> in a Maildir folder's cur/.</summary>
    public static void WriteMaildirMessages(string cur, string address, string folder, int count, string domain)
    {
        Directory.CreateDirectory(cur);
        for (var i = 0; i < count; i++)
        {
            File.WriteAllBytes(Path.Combine(cur, $"1733130000.M{i:000000}P1Q{i}.source:2,S"), System.Text.Encoding.UTF8.GetBytes(
                $"From: a@example.net\nTo: {address}\nSubject: {folder} {i}\nMessage-ID: <{folder}.{i}@{domain}>\nDate: Mon, 2 Dec 2024 10:00:00 +0000\n\n{folder} {i}\n"));
        }
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static MailboxContext Context(
        string type,
        string? path,
        string sourceAddress,
        string? targetAddress = null,
        string? layout = null,
        LabelCopyMode labelCopies = LabelCopyMode.Each,
        EndpointRole role = EndpointRole.Source,
        Serilog.ILogger? logger = null)
    {
        var planFile = Path.Combine(Path.GetTempPath(), "plan.yaml");
        var endpoint = new EndpointDefinition
        {
            Name = role == EndpointRole.Source ? "src" : "dst",
            Role = role,
            Type = PlanVocabulary.EndpointTypes.Parse(type) ?? EndpointType.Unknown,
            Path = path,
            Layout = PlanVocabulary.MboxLayouts.Parse(layout),
            Location = new SourceLocation(planFile, 7, 5),
            CanonicalSettings = "{}",
        };
        var plan = new PlanModel { Name = "test", PlanFile = planFile, ContentHash = "0" };
        var migration = new MigrationDefinition
        {
            Name = "m",
            Type = MigrationType.Import,
            From = "src",
            To = "dst",
            LabelCopies = labelCopies,
            Location = new SourceLocation(planFile, 20, 5),
            CanonicalSettings = "{}",
        };
        var mailbox = new MailboxEntry
        {
            SourceAddress = sourceAddress,
            TargetAddress = targetAddress ?? sourceAddress,
            Location = new SourceLocation(planFile, 30, 9),
        };
        return new MailboxContext(plan, migration, endpoint, mailbox, logger ?? Logger.None);
    }

    public static async Task<List<SourceMessage>> ListAsync(IMailSource source, SourceFolder folder)
    {
        var list = new List<SourceMessage>();
        await foreach (var summary in source.ListMessagesAsync(folder, null, CancellationToken.None))
        {
            list.Add(summary);
        }

        return list;
    }

    /// <summary>Fetches every message and returns its bytes, checking that the announced length is the real one.</summary>
    public static async Task<List<byte[]>> FetchAllAsync(IMailSource source, SourceFolder folder, IReadOnlyList<SourceMessage> summaries)
    {
        var result = new List<byte[]>();
        await foreach (var content in source.FetchAsync(folder, summaries, CancellationToken.None))
        {
            await using (content)
            {
                using var buffer = new MemoryStream();
                await content.Content.CopyToAsync(buffer);
                Assert.Equal(content.Length, buffer.Length);
                result.Add(buffer.ToArray());
            }
        }

        return result;
    }

    /// <summary>
    /// Applies the plan file with the SQLite state at <paramref name="stateFile"/> and the given adapters, as the CLI does;
    /// <paramref name="inspect"/> reads what a test checks from the store before it is closed.
    /// </summary>
    public static async Task<(RunSummary Summary, T Inspected)> ApplyPlanAsync<T>(
        string planFile, string stateFile, IMailSourceFactory source, IMailTargetFactory target, int batchMessages,
        Func<IStateStore, PlanModel, Task<T>> inspect, Func<IStateStore, IStateStore>? wrap = null)
    {
        var loaded = PlanPipeline.Load(planFile);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        var plan = loaded.Plan!;
        await using var store = await SqliteStateStore.OpenAsync(stateFile, CancellationToken.None);
        var registry = new AdapterRegistry().Add(source).Add(target);
        var summary = await new Executor(wrap?.Invoke(store) ?? store, registry, Serilog.Core.Logger.None)
            .ApplyAsync(plan, PlanCompiler.Compile(plan), new ExecutionOptions { BatchMessages = batchMessages }, CancellationToken.None);
        return (summary, await inspect(store, plan));
    }
}
