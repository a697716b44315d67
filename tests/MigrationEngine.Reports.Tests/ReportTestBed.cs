using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MigrationEngine.Core;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using MigrationEngine.State.Sqlite;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Reports.Tests;

/// <summary>A clock that always says the same time, so generated reports are reproducible.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly FixedClock Default = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// A temp folder with a plan (loaded and validated by <see cref="PlanLoader"/>) and a real SQLite state database,
/// filled the way the executor fills it: steps, ledger entries, item events and runs.
/// </summary>
internal sealed class ReportTestBed : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2025, 5, 20, 8, 0, 0, TimeSpan.Zero);

    private ReportTestBed(string folder, PlanModel plan, SqliteStateStore state)
    {
        Folder = folder;
        Plan = plan;
        Graph = PlanCompiler.Compile(plan);
        State = state;
    }

    public string Folder { get; }

    public PlanModel Plan { get; }

    /// <summary>The plan compiled once, as apply and the report command hand it to the renderer.</summary>
    public ExecutionGraph Graph { get; }

    public SqliteStateStore State { get; }

    public string DatabasePath => Path.Combine(Folder, ".migrate", "state.db");

    public static ReportRenderOptions Options => new() { Clock = FixedClock.Default };

    /// <summary>A plan with the given mailboxes (target addresses) and optional extra YAML under spec (reports).</summary>
    public static async Task<ReportTestBed> CreateAsync(IReadOnlyList<string> mailboxes, string reportsYaml = "")
    {
        var folder = Directory.CreateTempSubdirectory("me-report-tests-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "src"));
        Directory.CreateDirectory(Path.Combine(folder, "out"));
        var yaml = new StringBuilder();
        yaml.Append("""
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: wave-1
              description: "First wave: finance | legal <team>"
              labels:
                owner: it-ops
                wave: "1"
            spec:
              sources:
                archive:
                  type: maildir
                  path: src
              targets:
                local:
                  type: maildir
                  path: out
              mailboxSets:
                finance:
                  mailboxes:

            """);
        foreach (var mailbox in mailboxes)
        {
            yaml.Append("          - source: ").Append(mailbox.Replace("@", ".old@", StringComparison.Ordinal)).Append('\n');
            yaml.Append("            target: ").Append(mailbox).Append('\n');
        }

        yaml.Append("""
              migrations:
                - name: finance-mail
                  type: import
                  from: archive
                  to: local
                  mailboxSets: [finance]

            """);
        yaml.Append(reportsYaml);
        var planPath = Path.Combine(folder, "plan.yaml");
        await File.WriteAllTextAsync(planPath, yaml.ToString());
        var loaded = PlanPipeline.Load(planPath);
        if (loaded.Plan is null || loaded.HasErrors)
        {
            throw new InvalidOperationException("test plan is invalid: " + string.Join("; ", loaded.Diagnostics));
        }

        var state = await SqliteStateStore.OpenAsync(Path.Combine(folder, ".migrate", "state.db"), CancellationToken.None);
        return new ReportTestBed(folder, loaded.Plan, state);
    }

    /// <summary>
    /// One apply run over four mailbox states: the first done (verified), the second failed in copy with bad items,
    /// the third in progress, every other pending.
    /// </summary>
    public async Task SeedStandardRunAsync()
    {
        var ct = CancellationToken.None;
        var graph = PlanCompiler.Compile(Plan);
        var migration = Plan.Migrations[0];
        var keys = PlanCompiler.MailboxesOf(Plan, migration).Select(PlanCompiler.MailboxKey).ToList();
        var runId = await State.StartRunAsync(Plan.Name, "apply", ct);

        async Task Step(string kind, string key, StepStatus status, int startSecond, int? endSecond, string? error = null, string? result = null)
        {
            var id = $"{kind}/{migration.Name}/{key}";
            await State.SaveStepAsync(Plan.Name, new StepRecord
            {
                StepId = id,
                Kind = kind,
                // Folder steps (copy/migration/mailbox/folder) carry the hash of their mailbox's copy step.
                InputHash = graph[string.Join('/', id.Split('/').Take(3))].InputHash,
                Status = status,
                Attempts = 1,
                StartedAt = T0.AddSeconds(startSecond),
                FinishedAt = endSecond is { } end ? T0.AddSeconds(end) : null,
                Error = error,
                ResultJson = result,
            }, ct);
        }

        // Mailbox 1: every step done, 12 copied over two minutes, 2 already present, verified.
        var done = keys[0];
        await Step("preflight-source", done, StepStatus.Succeeded, 0, 1, result: "{\"folders\":2}");
        await Step("preflight-target", done, StepStatus.Succeeded, 1, 2);
        await Step("ensure-folders", done, StepStatus.Succeeded, 2, 3);
        await Step("copy", done, StepStatus.Succeeded, 3, 125, result: "{\"copied\":12}");
        await Step("copy", done + "/INBOX", StepStatus.Succeeded, 3, 100);
        await Step("verify", done, StepStatus.Succeeded, 125, 130,
            result: JsonSerializer.Serialize(new[] { new { TargetFolder = "INBOX", Expected = 10, Found = 10, Missing = 0 }, new { TargetFolder = "Sent", Expected = 4, Found = 4, Missing = 0 } }));
        var entries = new List<LedgerEntry>();
        for (var i = 0; i < 12; i++)
        {
            entries.Add(Entry(done, i < 9 ? "INBOX" : "Sent", $"{i + 1}", "copied", 2000 + (i * 100), T0.AddSeconds(5 + (i * 10)), runId));
        }

        entries.Add(Entry(done, "INBOX", "50", "present", 900, T0.AddSeconds(6), runId));
        entries.Add(Entry(done, "Sent", "51", "present", 900, T0.AddSeconds(7), runId));
        await State.RecordMessagesAsync(Plan.Name, entries, ct);
        await State.RecordItemEventsAsync(Plan.Name, [
            Event(done, "INBOX", "60", "filtered", "received 2001-01-01, before filters.since 2010-01-01", runId),
            Event(done, "Sent", "61", "warning", "Date header missing; used the file time", runId),
        ], ct);

        if (keys.Count > 1)
        {
            // Mailbox 2: failed in copy after 3 messages; the server refused two, one with a comma and quotes in its answer.
            var failed = keys[1];
            await Step("preflight-source", failed, StepStatus.Succeeded, 0, 1);
            await Step("preflight-target", failed, StepStatus.Succeeded, 1, 2);
            await Step("ensure-folders", failed, StepStatus.Succeeded, 2, 3);
            await Step("copy", failed, StepStatus.Failed, 3, 40, error: $"mailbox {failed}: 3 bad items exceed the badItemLimit of 2");
            await State.RecordMessagesAsync(Plan.Name, [
                Entry(failed, "INBOX", "1", "copied", 5000, T0.AddSeconds(20), runId),
                Entry(failed, "INBOX", "2", "copied", 5000, T0.AddSeconds(21), runId),
                Entry(failed, "INBOX", "3", "copied", 5000, T0.AddSeconds(22), runId),
            ], ct);
            await State.RecordItemEventsAsync(Plan.Name, [
                Event(failed, "INBOX", "4", "bad-item", "554 5.6.0 \"Invalid MIME\", header line too long", runId),
                Event(failed, "INBOX", "5", "bad-item", "554 5.6.0 \"Invalid MIME\", header line too long", runId),
                Event(failed, "Archive", "6", "bad-item", "message of 40.2 MB is larger than the target accepts (35 MB)", runId),
            ], ct);
        }

        if (keys.Count > 2)
        {
            var running = keys[2];
            await Step("preflight-source", running, StepStatus.Succeeded, 10, 11);
            await Step("copy", running, StepStatus.Running, 12, null);
        }

        var summary = JsonSerializer.Serialize(new
        {
            run_id = runId, interrupted = false, duration_seconds = 130.0, copied = 15, bytes = 45_600, present = 2, filtered = 1, bad_items = 3, warnings = 1, failed_mailboxes = 1,
        });
        await State.FinishRunAsync(runId, "failed", summary, ct);
        SetRunTimes(runId, T0, T0.AddSeconds(130));
    }

    /// <summary>The store stamps runs with the wall clock; tests pin them for reproducible reports.</summary>
    public void SetRunTimes(long runId, DateTimeOffset started, DateTimeOffset finished)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE runs SET started_at = $started, finished_at = $finished WHERE run_id = $run";
        command.Parameters.AddWithValue("$started", started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$finished", finished.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$run", runId);
        command.ExecuteNonQuery();
    }

    public static LedgerEntry Entry(string mailbox, string folder, string sourceId, string outcome, long size, DateTimeOffset at, long runId) => new()
    {
        Migration = "finance-mail",
        Mailbox = mailbox,
        Folder = folder,
        FolderValidity = 1,
        SourceId = sourceId,
        MessageId = $"<{sourceId}.{folder}@example.test>",
        DedupKey = $"id:{sourceId}.{folder}@example.test",
        Sha256 = outcome == "copied" ? new string('b', 64) : null,
        Size = size,
        TargetFolder = folder,
        TargetId = outcome == "copied" ? "t" + sourceId : null,
        Outcome = outcome,
        RecordedAt = at,
        RunId = runId,
    };

    public static ItemEvent Event(string mailbox, string folder, string sourceId, string kind, string reason, long runId) => new()
    {
        Migration = "finance-mail",
        Mailbox = mailbox,
        Folder = folder,
        SourceId = sourceId,
        Kind = kind,
        Reason = reason,
        Size = 42_000_000,
        RunId = runId,
        RecordedAt = T0.AddSeconds(30),
    };

    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await State.DisposeAsync();
        TempDirectory.Delete(Folder);
    }

    public static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
