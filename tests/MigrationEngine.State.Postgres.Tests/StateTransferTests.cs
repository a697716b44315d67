using System.CommandLine;
using System.Text.RegularExpressions;
using MigrationEngine.Cli;
using MigrationEngine.Core.State;
using MigrationEngine.State.Sqlite;
using MigrationEngine.TestSupport;

namespace MigrationEngine.State.Postgres.Tests;

/// <summary><c>migrate state export/import</c> through the real CLI: SQLite to PostgreSQL and back keeps the state and its hash.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Server")]
public sealed class StateTransferTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _temp = new("me-transfer");
    private string _database = string.Empty;

    private string PlanFile => Path.Combine(_temp.Path, "plan.yaml");

    private string SqlitePath => Path.Combine(_temp.Path, ".migrate", "state.db");

    public async Task InitializeAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        await File.WriteAllTextAsync(PlanFile, PlanYaml.FileImport("wave1", "maildir", "data", "out", ["ann@example.test"], migration: "mail"));
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Export_from_sqlite_and_import_into_postgres_keeps_every_record_and_the_state_hash()
    {
        string sqliteHash;
        await using (var sqlite = await SqliteStateStore.OpenAsync(SqlitePath, None))
        {
            await FillAsync(sqlite);
            // Another plan in the same file: its rows must not travel.
            await sqlite.RecordMessagesAsync("other", [Entry("99")], None);
            sqliteHash = await sqlite.GetStateHashAsync("wave1", None);
        }

        var exportFile = Path.Combine(_temp.Path, "wave1.state.jsonl");
        var export = await RunCliAsync("state", "export", PlanFile, "--out", exportFile);
        var import = await RunCliAsync("state", "import", PlanFile, exportFile, "--state", cluster.Url(_database));
        var again = await RunCliAsync("state", "import", PlanFile, exportFile, "--state", cluster.Url(_database));
        var forced = await RunCliAsync("state", "import", PlanFile, exportFile, "--state", cluster.Url(_database), "--force");

        Assert.True(export.Exit == 0, export.All);
        Assert.True(import.Exit == 0, import.All);
        Assert.Contains("(same as the export)", import.Out, StringComparison.Ordinal);
        Assert.Equal(1, again.Exit);
        Assert.Matches(new Regex(@"error MIG1011: state 'postgres://postgres@127\.0\.0\.1:\d+/\w+' already has state for plan 'wave1'"), again.Error);
        Assert.True(forced.Exit == 0, forced.All);
        await using var postgres = await PostgresStateStore.OpenAsync(cluster.Url(_database), None);
        await using var source = await SqliteStateStore.OpenAsync(SqlitePath, None);
        Assert.Equal(sqliteHash, await postgres.GetStateHashAsync("wave1", None));
        await AssertSameStateAsync(source, postgres);
        Assert.Equal(StateHash.Empty, await postgres.GetStateHashAsync("other", None));
    }

    [Fact]
    public async Task Postgres_state_moves_back_into_a_new_sqlite_file_with_the_same_hash()
    {
        await using (var postgres = await PostgresStateStore.OpenAsync(cluster.Url(_database), None))
        {
            await FillAsync(postgres);
        }

        var exportFile = Path.Combine(_temp.Path, "from-pg.jsonl");
        var newFile = Path.Combine(_temp.Path, "copy", "state.db");
        var export = await RunCliAsync("state", "export", PlanFile, "--out", exportFile, "--state", cluster.Url(_database));
        var import = await RunCliAsync("state", "import", PlanFile, exportFile, "--state", newFile);

        Assert.True(export.Exit == 0, export.All);
        Assert.True(import.Exit == 0, import.All);
        await using var source = await PostgresStateStore.OpenAsync(cluster.Url(_database), None);
        await using var copy = await SqliteStateStore.OpenAsync(newFile, None);
        Assert.Equal(await source.GetStateHashAsync("wave1", None), await copy.GetStateHashAsync("wave1", None));
        await AssertSameStateAsync(source, copy);
        // New rows continue after the imported ids.
        await copy.RecordMessagesAsync("wave1", [Entry("50")], None);
        Assert.Equal(5, (await copy.GetLedgerEntriesAsync("wave1", "mail", "ann@example.test", None)).Count);
    }

    [Fact]
    public async Task A_truncated_or_foreign_export_is_refused_with_file_and_line()
    {
        var truncated = Path.Combine(_temp.Path, "truncated.jsonl");
        await using (var sqlite = await SqliteStateStore.OpenAsync(SqlitePath, None))
        {
            await FillAsync(sqlite);
        }

        var export = await RunCliAsync("state", "export", PlanFile, "--out", truncated);
        var lines = await File.ReadAllLinesAsync(truncated);
        await File.WriteAllLinesAsync(truncated, lines[..^2]);
        var garbage = Path.Combine(_temp.Path, "garbage.jsonl");
        await File.WriteAllTextAsync(garbage, "{\"type\":\"header\",\"format\":\"migration-engine-state\",\"version\":1,\"plan\":\"wave1\",\"stateHash\":\"x\"}\nnot json\n");

        var refusedTruncated = await RunCliAsync("state", "import", PlanFile, truncated, "--state", cluster.Url(_database));
        var refusedGarbage = await RunCliAsync("state", "import", PlanFile, garbage, "--state", cluster.Url(_database));

        Assert.Equal(0, export.Exit);
        Assert.Equal(1, refusedTruncated.Exit);
        Assert.Contains("error MIG1010", refusedTruncated.Error, StringComparison.Ordinal);
        Assert.Contains("is incomplete", refusedTruncated.Error, StringComparison.Ordinal);
        Assert.Equal(1, refusedGarbage.Exit);
        Assert.Contains("garbage.jsonl(2,1): error MIG1010: the state export file cannot be read: line 2", refusedGarbage.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refusedGarbage.All, StringComparison.Ordinal);
    }

    private static LedgerEntry Entry(string id, string folder = "INBOX") => new()
    {
        Migration = "mail",
        Mailbox = "ann@example.test",
        Folder = folder,
        FolderValidity = 7,
        SourceId = id,
        MessageId = $"<{id}@example.test>",
        DedupKey = "k" + id,
        Sha256 = new string('b', 64),
        Size = 100,
        TargetFolder = folder,
        TargetId = "t" + id,
        RecordedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(10 * int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)),
        RunId = 1,
    };

    private static async Task FillAsync(IStateStore store)
    {
        var run = await store.StartRunAsync("wave1", "apply plan.yaml", None);
        await store.SaveStepAsync("wave1", new StepRecord { StepId = "copy/mail/ann@example.test", Kind = "copy", InputHash = "abc", Status = StepStatus.Succeeded, Attempts = 1 }, None);
        await store.SaveStepAsync("wave1", new StepRecord { StepId = "verify/mail/ann@example.test", Kind = "verify", InputHash = "def", Status = StepStatus.Failed, Error = "3 missing" }, None);
        await store.RecordMessagesAsync("wave1", [Entry("1"), Entry("2") with { RunId = run }], None);
        // A repeated entry draws an id: the ledger ids have a gap that the import must keep.
        await store.RecordMessagesAsync("wave1", [Entry("2"), Entry("3", "Sent"), Entry("4") with { Outcome = "present", Sha256 = null }], None);
        await store.RecordItemEventsAsync("wave1", [new ItemEvent { Migration = "mail", Mailbox = "ann@example.test", Folder = "INBOX", SourceId = "9", Kind = "filtered", Reason = "before since", Size = 5, RunId = run, RecordedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 6, TimeSpan.Zero) }], None);
        await store.SaveCursorAsync("wave1", "mail", "ann@example.test", "INBOX", new FolderCursor(7, 10, ulong.MaxValue), None);
        await store.SaveCursorAsync("wave1", "mail", "ann@example.test", "Empty", new FolderCursor(3, 1, null), None);
        await store.FinishRunAsync(run, "succeeded", "{\"copied\":4}", None);
    }

    private static async Task AssertSameStateAsync(IStateStore expected, IStateStore actual)
    {
        Assert.Equal(
            (await expected.GetStepsAsync("wave1", None)).OrderBy(p => p.Key).Select(p => p.Value),
            (await actual.GetStepsAsync("wave1", None)).OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal(await expected.GetLedgerEntriesAsync("wave1", "mail", "ann@example.test", None), await actual.GetLedgerEntriesAsync("wave1", "mail", "ann@example.test", None));
        Assert.Equal(await expected.GetItemEventsAsync("wave1", None), await actual.GetItemEventsAsync("wave1", None));
        Assert.Equal(await expected.GetMailboxTotalsAsync("wave1", None), await actual.GetMailboxTotalsAsync("wave1", None));
        foreach (var folder in new[] { "INBOX", "Empty", "Sent" })
        {
            Assert.Equal(await expected.GetCursorAsync("wave1", "mail", "ann@example.test", folder, None), await actual.GetCursorAsync("wave1", "mail", "ann@example.test", folder, None));
        }

        var expectedRuns = await expected.GetRunsAsync("wave1", None);
        var actualRuns = await actual.GetRunsAsync("wave1", None);
        Assert.Equal(expectedRuns.Select(r => (r.RunId, r.Command, r.Outcome, r.SummaryJson)), actualRuns.Select(r => (r.RunId, r.Command, r.Outcome, r.SummaryJson)));
        Assert.Equal(expectedRuns.Select(r => r.StartedAt.UtcTicks / 10), actualRuns.Select(r => r.StartedAt.UtcTicks / 10));
    }

    private sealed record CliRun(int Exit, string Out, string Error)
    {
        public string All => Out + Error;
    }

    /// <summary>The real CLI; while <c>state</c> is not yet registered in <see cref="CliApp"/>, its command hosted in a root of its own.</summary>
    private async Task<CliRun> RunCliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var help = new StringWriter();
        await CliApp.RunAsync(["state", "--help"], help, TextWriter.Null);
        int exit;
        if (Regex.IsMatch(help.ToString(), @"Usage:\s+\S+ state\b"))
        {
            exit = await CliApp.RunAsync(args, stdout, stderr);
        }
        else
        {
            var root = new RootCommand("migrate");
            var factory = typeof(CliApp).Assembly.GetType("MigrationEngine.Cli.Commands.StateCommand", throwOnError: true)!.GetMethod("Create")!;
            root.Subcommands.Add((Command)factory.Invoke(null, [new CliConsole(stdout, stderr)])!);
            var parse = root.Parse(args);
            Assert.Empty(parse.Errors);
            exit = await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }

        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }
}
