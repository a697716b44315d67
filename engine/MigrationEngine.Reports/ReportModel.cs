using System.Globalization;
using System.Text.RegularExpressions;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using Scriban.Runtime;

namespace MigrationEngine.Reports;

/// <summary>
/// What report templates see (documented field by field in docs/reports.md). Held as plain ordered dictionaries,
/// lists and primitives — never live .NET objects — so templates cannot reach anything beyond the data, and every
/// render gets a fresh copy it may modify without affecting the next report.
/// </summary>
public sealed partial class ReportModel
{
    public const string FormatVersion = "1";

    /// <summary>Details (bad items, warnings) kept per mailbox; the counts are always complete.</summary>
    public const int MaxDetailsPerMailbox = 200;

    /// <summary>The copy-rate chart never has more buckets than this.</summary>
    public const int MaxRateBuckets = 60;

    private static readonly int[] NiceBucketSeconds = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

    private readonly OrderedDictionary<string, object?> _root;

    private ReportModel(OrderedDictionary<string, object?> root, int mailboxCount, bool neverApplied)
    {
        _root = root;
        MailboxCount = mailboxCount;
        NeverApplied = neverApplied;
    }

    public int MailboxCount { get; }

    /// <summary>No run was ever recorded for the plan: every mailbox is pending.</summary>
    public bool NeverApplied { get; }

    /// <summary>Run id of the run the report describes; null when the plan was never applied.</summary>
    public long? RunId => (_root["run"] as OrderedDictionary<string, object?>)?["id"] as long?;

    /// <summary>
    /// Reads the state of <paramref name="plan"/> into the model. <paramref name="graph"/> is the plan's compiled graph, which
    /// the caller already holds (apply has just walked it): a report never compiles the plan a second time.
    /// </summary>
    public static async Task<ReportModel> BuildAsync(PlanModel plan, ExecutionGraph graph, IStateStore state, RunSummary? lastRun, TimeProvider clock, CancellationToken cancellationToken)
    {
        var steps = await state.GetStepsAsync(plan.Name, cancellationToken);
        var totals = (await state.GetMailboxTotalsAsync(plan.Name, cancellationToken)).ToDictionary(t => (t.Migration, t.Mailbox));
        var events = (await state.GetItemEventsAsync(plan.Name, cancellationToken))
            .GroupBy(e => (e.Migration, e.Mailbox))
            .ToDictionary(g => g.Key, g => g.ToList());
        var runs = await state.GetRunsAsync(plan.Name, cancellationToken);

        var graphStepsByMailbox = StepDecisions.GroupByMailbox(graph.Steps);
        var recordsByMailbox = GroupStepRecordsByMailbox(steps.Values);

        var reportRunId = lastRun?.RunId ?? (runs.Count > 0 ? runs[^1].RunId : (long?)null);
        var forecast = await ForecastColumn.LoadAsync(plan, state, runs.LastOrDefault(r => r.RunId == reportRunId), steps, [.. totals.Values], cancellationToken);
        var copiedByRun = new Dictionary<long, List<(long Ticks, long Size)>>();
        var lastRunResults = lastRun?.Mailboxes.ToDictionary(m => (m.Migration, m.Mailbox)) ?? [];
        var errors = new ErrorGroups();

        var mailboxRows = new List<object?>();
        var migrationRows = new List<object?>();
        var grand = new Counts();
        var leftOutByRule = new Dictionary<string, long>(StringComparer.Ordinal);
        var grandItems = ItemAccount.None;
        foreach (var migration in plan.Migrations)
        {
            var migrationCounts = new Counts();
            foreach (var mailbox in PlanCompiler.MailboxesOf(plan, migration))
            {
                var key = PlanCompiler.MailboxKey(mailbox);
                var ledger = await state.GetLedgerEntriesAsync(plan.Name, migration.Name, key, cancellationToken);
                var inLedger = new HashSet<(string, string)>();
                var runIds = new HashSet<long>();
                foreach (var entry in ledger)
                {
                    inLedger.Add((entry.Folder, entry.SourceId));
                    runIds.Add(entry.RunId);
                    if (entry.Outcome == LedgerOutcomes.Copied)
                    {
                        if (!copiedByRun.TryGetValue(entry.RunId, out var list))
                        {
                            copiedByRun[entry.RunId] = list = [];
                        }

                        list.Add((entry.RecordedAt.UtcTicks, entry.Size));
                    }
                }

                totals.TryGetValue((migration.Name, key), out var total);
                var mailboxEvents = events.GetValueOrDefault((migration.Name, key)) ?? [];
                var badItems = LatestPerMessage(mailboxEvents.Where(e => e.Kind == "bad-item" && !inLedger.Contains((e.Folder, e.SourceId))));
                var warnings = LatestPerMessage(mailboxEvents.Where(e => e.Kind == "warning"));
                foreach (var leftOut in LatestPerMessage(mailboxEvents.Where(e => e.Kind == "filtered")))
                {
                    leftOutByRule[leftOut.Reason] = leftOutByRule.GetValueOrDefault(leftOut.Reason) + 1;
                }

                foreach (var bad in badItems)
                {
                    errors.Add("bad-item", bad.Reason, key);
                }

                var graphSteps = graphStepsByMailbox.GetValueOrDefault((migration.Name, key)) ?? [];
                var records = recordsByMailbox.GetValueOrDefault((migration.Name, key)) ?? [];
                var mailboxStatus = StepDecisions.MailboxStatusOf(graphSteps, steps, total is not null);
                var (status, stepsDone, failure) = (mailboxStatus.State, mailboxStatus.StepsDone, mailboxStatus.Failure);
                if (failure?.Error is { } error)
                {
                    errors.Add("mailbox-failure", error, key);
                }

                var verification = ExecutionJson.ReadVerification(steps.GetValueOrDefault($"verify/{migration.Name}/{key}")?.ResultJson);
                var counts = new Counts
                {
                    Mailboxes = 1,
                    Copied = total?.Copied ?? 0,
                    Bytes = total?.BytesCopied ?? 0,
                    AlreadyPresent = total?.AlreadyPresent ?? 0,
                    Filtered = total?.Filtered ?? 0,
                    PlacedElsewhere = total?.PlacedElsewhere ?? 0,
                    BadItems = total?.BadItems ?? 0,
                    Warnings = total?.Warnings ?? 0,
                    VerifyMissing = verification.Sum(v => v.Missing),
                };
                counts.CountStatus(status);
                migrationCounts.Add(counts);

                lastRunResults.TryGetValue((migration.Name, key), out var thisRun);
                var mailboxRow = Obj(
                    ("migration", migration.Name),
                    ("mailbox", key),
                    ("source_address", mailbox.SourceAddress),
                    ("status", mailboxStatus.Text),
                    ("run_outcome", thisRun is null ? null : OutcomeWord(thisRun.Outcome)),
                    ("steps_done", (long)stepsDone),
                    ("steps_total", (long)graphSteps.Count),
                    ("copied", counts.Copied),
                    ("bytes", counts.Bytes),
                    ("already_present", counts.AlreadyPresent),
                    ("filtered", counts.Filtered),
                    ("left_out", counts.Filtered),
                    ("placed_elsewhere", counts.PlacedElsewhere),
                    ("bad_items", counts.BadItems),
                    ("bad_item_details", Details(badItems)),
                    ("warnings", counts.Warnings),
                    ("warning_details", Details(warnings)),
                    ("verified", verification.Count == 0 ? null : verification.All(v => v.Missing == 0)),
                    ("verify_missing", counts.VerifyMissing),
                    ("verify", verification.Select(v => (object?)Obj(
                        ("target_folder", v.TargetFolder), ("expected", v.Expected), ("found", v.Found), ("missing", v.Missing))).ToList()),
                    ("started", Time(records.Select(r => r.StartedAt).Where(t => t is not null).DefaultIfEmpty().Min())),
                    ("finished", status is MailboxState.Done or MailboxState.Failed ? Time(records.Select(r => r.FinishedAt).Where(t => t is not null).DefaultIfEmpty().Max()) : null),
                    ("duration_seconds", DurationOf(records)),
                    ("forecast", forecast?.Row(migration, mailbox, key, ledger, steps.GetValueOrDefault($"copy/{migration.Name}/{key}"))),
                    ("passes", (long)Math.Max(1, migration.Passes)),
                    ("runs", (long)runIds.Count),
                    ("error", failure?.Error));
                if (MovesItems(migration))
                {
                    var items = ItemAccount.FromSteps(graphSteps, steps);
                    grandItems = grandItems.Add(items);
                    AddItems(mailboxRow, items, mailboxEvents, errors, key);
                }

                mailboxRows.Add(mailboxRow);
            }

            grand.Add(migrationCounts);
            migrationRows.Add(Obj(
                ("name", migration.Name),
                ("type", migration.Type.Yaml()),
                ("from", migration.From),
                ("to", migration.To),
                ("mailboxes", migrationCounts.Mailboxes),
                ("done", migrationCounts.Done),
                ("failed", migrationCounts.Failed),
                ("in_progress", migrationCounts.InProgress),
                ("pending", migrationCounts.Pending),
                ("copied", migrationCounts.Copied),
                ("bytes", migrationCounts.Bytes),
                ("already_present", migrationCounts.AlreadyPresent),
                ("left_out", migrationCounts.Filtered),
                ("bad_items", migrationCounts.BadItems)));
        }

        foreach (var diagnostic in lastRun?.Diagnostics.Where(d => d.IsError) ?? [])
        {
            errors.Add("run", $"{diagnostic.Code}: {diagnostic.Message}", null);
        }

        var runRows = runs.Select(r => (object?)RunObject(r, lastRun?.RunId == r.RunId ? lastRun : null)).ToList();
        var reportRun = runRows.Cast<OrderedDictionary<string, object?>>().LastOrDefault(r => (long)r["id"]! == reportRunId);
        var root = Obj(
            ("format_version", FormatVersion),
            ("generated_at", Time(clock.GetUtcNow())),
            ("plan", Obj(
                ("name", plan.Name),
                ("description", plan.Description),
                ("labels", LabelsObject(plan.Labels)),
                ("file", Path.GetFileName(plan.PlanFile)))),
            ("run", reportRun),
            ("runs", runRows),
            ("migrations", migrationRows),
            ("mailboxes", mailboxRows),
            ("errors", errors.ToList()),
            ("totals", Obj(
                ("migrations", (long)plan.Migrations.Count),
                ("mailboxes", grand.Mailboxes),
                ("done", grand.Done),
                ("failed", grand.Failed),
                ("in_progress", grand.InProgress),
                ("pending", grand.Pending),
                ("copied", grand.Copied),
                ("bytes", grand.Bytes),
                ("already_present", grand.AlreadyPresent),
                ("filtered", grand.Filtered),
                ("left_out", grand.Filtered),
                ("left_out_rules", leftOutByRule.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
                    .Select(r => (object?)Obj(("rule", r.Key), ("messages", r.Value))).ToList()),
                ("placed_elsewhere", grand.PlacedElsewhere),
                ("bad_items", grand.BadItems),
                ("warnings", grand.Warnings),
                ("verify_missing", grand.VerifyMissing),
                ("errors", errors.Total),
                // The closing line of apply's summary and of status, word for word (one account of the state's figures).
                ("line", PlanAccount.FormatTotalLine(
                    new MessageAccount(grand.Copied, grand.Bytes, grand.AlreadyPresent, grand.Filtered, grand.BadItems, grand.Warnings, grand.PlacedElsewhere),
                    new MailboxTally(grand.Mailboxes, grand.Done, grand.Failed, grand.InProgress, grand.Pending), grandItems)))),
            ("rate", RateObject(copiedByRun, reportRunId)),
            ("forecast", forecast?.Summary()));
        if (grandItems.Any)
        {
            ((OrderedDictionary<string, object?>)root["totals"]!)["items"] = ItemsObject(grandItems);
        }

        return new ReportModel(root, mailboxRows.Count, runs.Count == 0);
    }

    /// <summary>A fresh Scriban object tree of the model (templates may assign to it without affecting other renders).</summary>
    public ScriptObject ToScriptObject() => (ScriptObject)ToScript(_root)!;

    /// <summary>The model as indented JSON, in field order; the same document <c>builtin:run.json</c> renders.</summary>
    public string ToJson() => ReportJson.Serialize(_root, indented: true);

    // ----- status and steps -----

    /// <summary>Step ids are kind/migration/mailbox[/folder]; folder steps count for a mailbox's timings.</summary>
    private static Dictionary<(string Migration, string Mailbox), List<StepRecord>> GroupStepRecordsByMailbox(IEnumerable<StepRecord> records)
    {
        var grouped = new Dictionary<(string, string), List<StepRecord>>();
        foreach (var record in records)
        {
            var parts = record.StepId.Split('/', 4);
            if (parts.Length < 3)
            {
                continue;
            }

            if (!grouped.TryGetValue((parts[1], parts[2]), out var list))
            {
                grouped[(parts[1], parts[2])] = list = [];
            }

            list.Add(record);
        }

        return grouped;
    }

    private static double? DurationOf(List<StepRecord> records)
    {
        var finished = records.Where(r => r.StartedAt is not null && r.FinishedAt is not null).ToList();
        if (finished.Count == 0)
        {
            return null;
        }

        var seconds = (finished.Max(r => r.FinishedAt!.Value) - finished.Min(r => r.StartedAt!.Value)).TotalSeconds;
        return Math.Round(Math.Max(0, seconds), 3);
    }

    private static List<ItemEvent> LatestPerMessage(IEnumerable<ItemEvent> events)
    {
        var latest = new Dictionary<(string, string), ItemEvent>();
        foreach (var item in events)
        {
            latest[(item.Folder, item.SourceId)] = item;
        }

        return latest.Values.OrderBy(e => e.Folder, StringComparer.Ordinal).ThenBy(e => e.SourceId, StringComparer.Ordinal).ToList();
    }

    private static List<object?> Details(List<ItemEvent> items) => items.Take(MaxDetailsPerMailbox).Select(e => (object?)Obj(
        ("folder", e.Folder),
        ("source_id", e.SourceId),
        ("reason", e.Reason),
        ("size", e.Size),
        ("run_id", e.RunId),
        ("recorded_at", Time(e.RecordedAt)))).ToList();

    private static string OutcomeWord(MailboxOutcome outcome) => outcome switch
    {
        MailboxOutcome.Succeeded => "succeeded",
        MailboxOutcome.Unchanged => "unchanged",
        MailboxOutcome.Failed => "failed",
        MailboxOutcome.Interrupted => "interrupted",
        MailboxOutcome.DoneByOtherWorker => "done by another worker",
        _ => "not started",
    };

    // ----- runs -----

    private static OrderedDictionary<string, object?> RunObject(RunRecord run, RunSummary? summary)
    {
        // The run just finished is described from its summary in memory; earlier runs from the summary they recorded.
        var recorded = summary is null ? ExecutionJson.ReadSummary(run.SummaryJson) : null;
        var account = summary is not null ? MessageAccount.OfRun(summary) : MessageAccount.OfRecordedRun(recorded);
        double? duration = summary is not null ? Math.Round(summary.Duration.TotalSeconds, 3)
            : recorded is not null ? recorded.DurationSeconds
            : run.FinishedAt is { } finished ? Math.Round((finished - run.StartedAt).TotalSeconds, 3)
            : null;
        var outcome = run.Outcome ?? (summary is null ? "running" : summary.Interrupted ? "interrupted" : summary.Succeeded ? "succeeded" : "failed");
        return Obj(
            ("id", run.RunId),
            ("command", run.Command),
            ("started", Time(run.StartedAt)),
            ("finished", Time(run.FinishedAt)),
            ("outcome", outcome),
            ("duration_seconds", duration),
            ("copied", account.Copied),
            ("bytes", account.Bytes),
            ("already_present", account.AlreadyPresent),
            ("filtered", account.LeftOut),
            ("left_out", account.LeftOut),
            ("bad_items", account.BadItems),
            ("warnings", account.Warnings),
            // What the run did besides copying, in the words of apply's "Copied N messages (...) in this run: ..." line.
            ("details", account.Details),
            ("failed_mailboxes", summary?.FailedMailboxes ?? recorded?.FailedMailboxes ?? 0),
            ("messages_per_second", duration is > 0 ? Math.Round(account.Copied / duration.Value, 2) : null),
            ("mb_per_second", duration is > 0 ? Math.Round(account.Bytes / (1024.0 * 1024.0) / duration.Value, 3) : null));
    }

    // ----- copy rate -----

    private static OrderedDictionary<string, object?> RateObject(Dictionary<long, List<(long Ticks, long Size)>> copiedByRun, long? reportRunId)
    {
        long? runId = reportRunId is { } id && copiedByRun.ContainsKey(id) ? id
            : copiedByRun.Count > 0 ? copiedByRun.Keys.Max() : null;
        var points = new List<object?>();
        long bucketSeconds = 1;
        long peak = 0;
        if (runId is { } chosen)
        {
            var entries = copiedByRun[chosen];
            var first = entries.Min(e => e.Ticks);
            var last = entries.Max(e => e.Ticks);
            var spanSeconds = (last - first) / TimeSpan.TicksPerSecond + 1;
            bucketSeconds = NiceBucketSeconds.FirstOrDefault(n => spanSeconds <= (long)n * MaxRateBuckets, 0) is var nice and > 0
                ? nice
                : (long)Math.Ceiling(spanSeconds / (double)MaxRateBuckets);
            var bucketCount = (int)((last - first) / TimeSpan.TicksPerSecond / bucketSeconds) + 1;
            var messages = new long[bucketCount];
            var bytes = new long[bucketCount];
            foreach (var (ticks, size) in entries)
            {
                var index = (int)((ticks - first) / TimeSpan.TicksPerSecond / bucketSeconds);
                messages[index]++;
                bytes[index] += size;
            }

            for (var i = 0; i < bucketCount; i++)
            {
                peak = Math.Max(peak, messages[i]);
                points.Add(Obj(
                    ("time", Time(new DateTimeOffset(first + (i * bucketSeconds * TimeSpan.TicksPerSecond), TimeSpan.Zero))),
                    ("offset_seconds", i * bucketSeconds),
                    ("messages", messages[i]),
                    ("bytes", bytes[i]),
                    ("messages_per_second", Math.Round(messages[i] / (double)bucketSeconds, 2))));
            }
        }

        return Obj(
            ("run_id", runId),
            ("bucket_seconds", bucketSeconds),
            ("peak_messages", peak),
            ("points", points));
    }

    // ----- errors -----

    private sealed partial class ErrorGroups
    {
        private readonly Dictionary<(string Kind, string Cause), Group> _groups = [];

        public long Total { get; private set; }

        public void Add(string kind, string message, string? mailbox)
        {
            var cause = Normalize(message);
            if (!_groups.TryGetValue((kind, cause), out var group))
            {
                _groups[(kind, cause)] = group = new Group(message);
            }

            group.Count++;
            Total++;
            if (mailbox is not null)
            {
                group.Mailboxes.Add(mailbox);
            }
        }

        public List<object?> ToList() => _groups
            .OrderByDescending(g => g.Value.Count).ThenBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Cause, StringComparer.Ordinal)
            .Select(g => (object?)Obj(
                ("kind", g.Key.Kind),
                ("cause", g.Key.Cause),
                ("count", g.Value.Count),
                ("mailboxes", (long)g.Value.Mailboxes.Count),
                ("example_mailboxes", g.Value.Mailboxes.Order(StringComparer.Ordinal).Take(5).Select(m => (object?)m).ToList()),
                ("example", g.Value.Example)))
            .ToList();

        /// <summary>Messages differ by address and size only; grouping ignores both so one cause is one row.</summary>
        internal static string Normalize(string message)
        {
            var text = AddressPattern().Replace(message, "{address}");
            text = SizePattern().Replace(text, "{size}");
            return text.Trim();
        }

        [GeneratedRegex(@"[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+", RegexOptions.CultureInvariant)]
        private static partial Regex AddressPattern();

        [GeneratedRegex(@"\b\d+(\.\d+)? ?(B|KB|MB|GB|bytes)\b", RegexOptions.CultureInvariant)]
        private static partial Regex SizePattern();

        private sealed class Group(string example)
        {
            public long Count { get; set; }
            public string Example { get; } = example;
            public HashSet<string> Mailboxes { get; } = new(StringComparer.Ordinal);
        }
    }

    private sealed class Counts
    {
        public long Mailboxes { get; set; }
        public long Done { get; set; }
        public long Failed { get; set; }
        public long InProgress { get; set; }
        public long Pending { get; set; }
        public long Copied { get; set; }
        public long Bytes { get; set; }
        public long AlreadyPresent { get; set; }
        public long Filtered { get; set; }
        public long PlacedElsewhere { get; set; }
        public long BadItems { get; set; }
        public long Warnings { get; set; }
        public long VerifyMissing { get; set; }

        public void CountStatus(MailboxState status)
        {
            switch (status)
            {
                case MailboxState.Done: Done++; break;
                case MailboxState.Failed: Failed++; break;
                case MailboxState.InProgress or MailboxState.Interrupted: InProgress++; break;
                default: Pending++; break;
            }
        }

        public void Add(Counts other)
        {
            Mailboxes += other.Mailboxes;
            Done += other.Done;
            Failed += other.Failed;
            InProgress += other.InProgress;
            Pending += other.Pending;
            Copied += other.Copied;
            Bytes += other.Bytes;
            AlreadyPresent += other.AlreadyPresent;
            Filtered += other.Filtered;
            PlacedElsewhere += other.PlacedElsewhere;
            BadItems += other.BadItems;
            Warnings += other.Warnings;
            VerifyMissing += other.VerifyMissing;
        }
    }

    // ----- plain data helpers -----

    private static OrderedDictionary<string, object?> LabelsObject(IReadOnlyDictionary<string, string> labels)
    {
        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            result[name] = value;
        }

        return result;
    }

    internal static OrderedDictionary<string, object?> Obj(params (string Name, object? Value)[] fields)
    {
        var result = new OrderedDictionary<string, object?>(fields.Length, StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            result[name] = value;
        }

        return result;
    }

    internal static string? Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static object? ToScript(object? value) => value switch
    {
        OrderedDictionary<string, object?> map => ToScriptObject(map),
        List<object?> list => ToScriptArray(list),
        _ => value,
    };

    private static ScriptObject ToScriptObject(OrderedDictionary<string, object?> map)
    {
        var result = new ScriptObject(map.Count, StringComparer.Ordinal);
        foreach (var (name, value) in map)
        {
            result.Add(name, ToScript(value));
        }

        return result;
    }

    private static ScriptArray ToScriptArray(List<object?> list)
    {
        var result = new ScriptArray(list.Count);
        foreach (var item in list)
        {
            result.Add(ToScript(item));
        }

        return result;
    }
}
