using System.CommandLine;
using System.Globalization;
using MigrationEngine.Cli.Hosting;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Planning;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Commands;

internal static class ApplyCommand
{
    public static Command Create(CliConsole console)
    {
        var plan = new Argument<string>("plan") { Description = "A plan file (YAML), or a saved plan made by 'migrate plan --out'" };
        var state = Options.State();
        var delta = new Option<bool>("--delta") { Description = "Kept as an alias: apply always copies what arrived since the last run in mailboxes already done; with it, unfinished mailboxes start from their cursors too" };
        var verbosity = new Option<string>("--verbosity", "-v") { Description = "quiet, normal or detailed", DefaultValueFactory = _ => "normal" };
        verbosity.AcceptOnlyFromAmong("quiet", "normal", "detailed");
        var logFormat = new Option<string>("--log-format") { Description = "Console log format: text or json", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var command = new Command("apply", "Run the plan: copy what is not yet copied; safe to interrupt and re-run") { plan, state, delta, verbosity, logFormat };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(plan)!;
            if (!File.Exists(path))
            {
                DiagnosticPrinter.Print(console, [DiagnosticCatalog.FileNotFound.Create(SourceLocation.None(path), "check the path of the plan file", path)], "text", false);
                return ExitCodes.Error;
            }

            var saved = SavedPlan.TryRead(path);
            var planPath = saved?.ResolvePlanFile(path) ?? path;
            var stateOption = parse.GetValue(state) ?? saved?.ResolveState(path);
            var model = PlanInput.Load(console, saved is null ? planPath : Path.GetRelativePath(Environment.CurrentDirectory, planPath));
            if (model is null)
            {
                return ExitCodes.Error;
            }

            await using var store = await StateLocator.OpenAsync(console, model, stateOption, cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            var graph = PlanCompiler.Compile(model);
            using var logging = RunLogging.Create(model, parse.GetValue(verbosity)!, parse.GetValue(logFormat)!, console);
            // Applies of one plan share it through per-mailbox leases; the plan's lock is only taken by commands that rewrite
            // the whole state (state export and import), and apply does not start while one of them runs.
            var owner = await store.GetLockOwnerAsync(model.Name, cancellationToken);
            if (owner is not null)
            {
                var locked = owner.Damaged is not null
                    ? DiagnosticCatalog.LockRowDamaged.Create(SourceLocation.None(path), $"run 'migrate unlock {path}' to remove it", "lock", model.Name, owner.Damaged)
                    : DiagnosticCatalog.PlanLocked.Create(SourceLocation.None(path), $"wait for it to finish; if that process is gone, run 'migrate unlock {path}'", model.Name, owner);
                console.Error.WriteLine(locked.ToMsBuildString());
                return ExitCodes.Error;
            }

            if (saved is not null)
            {
                var stale = await StaleReasonAsync(saved, model, store, cancellationToken);
                if (stale is not null)
                {
                    console.Error.WriteLine(DiagnosticCatalog.StalePlan.Create(SourceLocation.None(path), $"review a new plan: migrate plan {Path.GetRelativePath(Environment.CurrentDirectory, planPath)} --out {path}", stale).ToMsBuildString());
                    return ExitCodes.Error;
                }
            }

            using var signals = new GracefulStop(console, cancellationToken);
            var observer = ProgressView.Create(console, parse.GetValue(verbosity) == "quiet");
            console.Error.WriteLine($"Applying plan {model.Name} ({path}), state {store.Location}");
            var executor = new Executor(store, AdapterComposition.CreateRegistry(), logging.Logger);
            var options = new ExecutionOptions { Delta = parse.GetValue(delta), Observer = observer, StopRequested = signals.StopRequested, Command = "apply", StateLocation = store.Location };
            var summary = await executor.ApplyAsync(model, graph, options, signals.HardStop);
            observer.Complete();
            var totals = await store.GetMailboxTotalsAsync(model.Name, CancellationToken.None);
            // Item events are only read when this run produced some (a no-op re-run must stay cheap).
            var events = summary.BadItems + summary.Warnings + summary.Filtered == 0
                ? []
                : (await store.GetItemEventsAsync(model.Name, CancellationToken.None)).Where(e => e.RunId == summary.RunId).ToList();
            SummaryPrinter.Print(console, model, summary, totals, events);
            if (model.Reports.Count > 0)
            {
                // Reports are rendered after every run, a failed one included; a template error never changes the run's outcome.
                var reports = await Reports.ReportRenderer.RenderAsync(model, store, summary, null, null, CancellationToken.None);
                foreach (var file in reports.FilesWritten)
                {
                    console.Error.WriteLine($"Report written: {Path.GetRelativePath(Environment.CurrentDirectory, file)}");
                }

                DiagnosticPrinter.Print(console, reports.Diagnostics, "text", false);
            }

            logging.Logger.Information("Run {RunId} finished: {Copied} copied, {Present} already present, {Failed} mailboxes failed", summary.RunId, summary.Copied, summary.AlreadyPresent, summary.FailedMailboxes);
            return summary.Interrupted ? signals.InterruptedExitCode : summary.Succeeded ? ExitCodes.Success : ExitCodes.Error;
        });
        return command;
    }

    private static async Task<string?> StaleReasonAsync(SavedPlan saved, PlanModel model, IStateStore store, CancellationToken cancellationToken)
    {
        if (saved.PlanName != model.Name)
        {
            return $"it was made for plan '{saved.PlanName}', the file now names '{model.Name}'";
        }

        if (saved.PlanHash != model.ContentHash)
        {
            return "the plan file or one of its CSV files changed after the plan was saved";
        }

        var stateHash = await store.GetStateHashAsync(model.Name, cancellationToken);
        return stateHash != saved.StateHash
            ? "the state changed after the plan was saved (another apply ran)"
            : null;
    }
}

internal static class SummaryPrinter
{
    public static void Print(CliConsole console, PlanModel plan, RunSummary summary, IReadOnlyList<MailboxTotals> totals, IReadOnlyList<ItemEvent> events)
    {
        var output = console.Out;
        var byMailbox = totals.ToDictionary(t => (t.Migration, t.Mailbox));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Summary of run {summary.RunId} ({summary.Duration.TotalSeconds:0.0} s):"));
        foreach (var group in summary.Mailboxes.GroupBy(m => m.Migration))
        {
            output.WriteLine($"  Migration {group.Key}");
            var width = group.Max(m => m.Mailbox.Length);
            foreach (var mailbox in group)
            {
                var counters = mailbox.Counters;
                var line = mailbox.Outcome switch
                {
                    MailboxOutcome.Unchanged => $"already complete ({(byMailbox.TryGetValue((mailbox.Migration, mailbox.Mailbox), out var t) ? t.Copied + t.AlreadyPresent : 0)} messages recorded)",
                    MailboxOutcome.NotStarted => "not started",
                    MailboxOutcome.Interrupted => $"interrupted after {counters.Copied} copied; run apply to resume",
                    _ => string.Create(CultureInfo.InvariantCulture, $"{counters.Copied} copied ({Executor.FormatSize(counters.BytesCopied)}), {counters.AlreadyPresent} already present, {counters.Filtered} skipped by filter, {counters.BadItems} bad items, {counters.Warnings} warnings{(counters.FlagsUpdated > 0 ? $", {counters.FlagsUpdated} flag updates" : string.Empty)}{PlacedElsewhere(counters.PlacedElsewhere, ", ")}"),
                };
                var outcome = mailbox.Outcome switch
                {
                    MailboxOutcome.Succeeded => "ok",
                    MailboxOutcome.Unchanged => "unchanged",
                    MailboxOutcome.Failed => "FAILED",
                    MailboxOutcome.Interrupted => "stopped",
                    _ => "skipped",
                };
                output.WriteLine($"    {mailbox.Mailbox.PadRight(width)}  {outcome,-9}  {line}");
            }
        }

        var present = summary.AlreadyPresent + summary.Mailboxes.Where(m => m.Outcome == MailboxOutcome.Unchanged)
            .Sum(m => byMailbox.TryGetValue((m.Migration, m.Mailbox), out var t) ? t.Copied + t.AlreadyPresent : 0);
        var seconds = Math.Max(summary.Duration.TotalSeconds, 0.001);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Copied {summary.Copied} messages ({Executor.FormatSize(summary.BytesCopied)}, {summary.Copied / seconds:0} msg/s, {summary.BytesCopied / seconds / 1e6:0.0} MB/s); {present} already present; {summary.Filtered} skipped by filter; {summary.BadItems} bad items; {summary.Warnings} warnings;{PlacedElsewhere(summary.PlacedElsewhere, " ", ";")} {summary.FailedMailboxes} of {summary.Mailboxes.Count} mailboxes failed."));
        if (summary.TargetRequests is { } targetRequests)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Target requests: {targetRequests}{(summary.RequestsPerMessage is { } perMessage ? $" ({perMessage:0.000} per copied message)" : string.Empty)}."));
        }

        if (summary.Copied == 0 && summary.FailedMailboxes == 0 && !summary.Interrupted && summary.Mailboxes.Count > 0)
        {
            output.WriteLine("Nothing to copy: everything is already present in the target.");
        }

        PrintItemEvents(console, events);
        var diagnostics = summary.Diagnostics.Concat(summary.Mailboxes.SelectMany(m => m.Diagnostics)).ToList();
        if (diagnostics.Count == 0)
        {
            return;
        }

        // Grouped by cause: a thousand mailboxes with the same wrong password make one line with a count.
        console.Error.WriteLine();
        console.Error.WriteLine("Problems, grouped by cause:");
        foreach (var cause in diagnostics.GroupBy(d => (d.Code, d.Severity)).OrderBy(g => g.Key.Severity).ThenBy(g => g.Key.Code, StringComparer.Ordinal))
        {
            var first = cause.First();
            var count = cause.Count();
            console.Error.WriteLine(count == 1 ? first.ToMsBuildString() : $"{first.ToMsBuildString()} (and {count - 1} more like it)");
        }
    }

    /// <summary>Gmail: label folder entries not copied there because the message's one copy is elsewhere; said only when there are some.</summary>
    private static string PlacedElsewhere(long count, string before, string after = "") =>
        count == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{before}{count} placed elsewhere (one copy of a message with several labels){after}");

    /// <summary>Messages not copied (bad items) and messages copied with a warning, grouped by reason, a few examples each.</summary>
    private static void PrintItemEvents(CliConsole console, IReadOnlyList<ItemEvent> events)
    {
        foreach (var kind in new[] { ("bad-item", "Not copied (bad items)"), ("warning", "Copied with warnings"), ("filtered", "Skipped by filters") })
        {
            var ofKind = events.Where(e => e.Kind == kind.Item1).ToList();
            if (ofKind.Count == 0)
            {
                continue;
            }

            console.Out.WriteLine();
            console.Out.WriteLine($"{kind.Item2}: {ofKind.Count}");
            foreach (var reason in ofKind.GroupBy(e => e.Reason).OrderByDescending(g => g.Count()).Take(10))
            {
                var first = reason.First();
                var more = reason.Count() > 1 ? $" (and {reason.Count() - 1} more)" : string.Empty;
                console.Out.WriteLine($"  {first.Mailbox} / {first.Folder}: {reason.Key}{more}");
            }
        }
    }
}
