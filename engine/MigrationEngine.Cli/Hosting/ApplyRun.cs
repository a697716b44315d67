using MigrationEngine.Cli.Commands;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Planning;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Hosting;

/// <summary>What <c>migrate apply</c> was asked, as parsed from its command line.</summary>
internal sealed record ApplyRequest(string PlanPath, string? State, bool Delta, string Verbosity, string LogFormat, string? WorkersExpected);

/// <summary>
/// One <c>migrate apply</c>: load the plan (or a saved plan), open the state, refuse a stale saved plan, walk the compiled
/// graph, print the summary and render the reports. The command only parses its arguments and calls <see cref="RunAsync"/>.
/// </summary>
internal static class ApplyRun
{
    public static async Task<int> RunAsync(CliConsole console, ApplyRequest request, CancellationToken cancellationToken)
    {
        var path = request.PlanPath;
        if (!File.Exists(path))
        {
            DiagnosticPrinter.Print(console, [Diagnose.FileNotFound(SourceLocation.None(path), path,
                hint: "check the path of the plan file")], "text", false);
            return ExitCodes.Error;
        }

        var saved = SavedPlan.TryRead(path);
        var planPath = saved?.ResolvePlanFile(path) ?? path;
        var stateOption = request.State ?? saved?.ResolveState(path);
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

        var (expected, workersError) = WorkerOptions.Resolve(request.WorkersExpected, store, SourceLocation.None(path));
        if (workersError is not null)
        {
            DiagnosticPrinter.Print(console, [workersError], "text", false);
            return ExitCodes.Error;
        }

        var graph = PlanCompiler.Compile(model);
        using var logging = RunLogging.Create(model, request.Verbosity, request.LogFormat, console);
        // With --log-format json everything apply writes on stderr is a JSON event, the lines below included.
        var log = new OperatorLog(console.Error, request.LogFormat == "json");
        // Applies of one plan share it through per-mailbox leases; the plan's lock is only taken by commands that rewrite
        // the whole state (state export and import), and apply does not start while one of them runs.
        var owner = await store.GetLockOwnerAsync(model.Name, cancellationToken);
        if (owner is not null)
        {
            var locked = owner.Damaged is not null
                ? Diagnose.LockRowDamaged(SourceLocation.None(path), "lock", model.Name, owner.Damaged,
                    hint: $"run 'migrate unlock {path}' to remove it")
                : Diagnose.PlanLocked(SourceLocation.None(path), model.Name, owner,
                    hint: $"wait for it to finish; if that process is gone, run 'migrate unlock {path}'");
            log.Diagnostic(locked);
            return ExitCodes.Error;
        }

        if (saved is not null)
        {
            var stale = await StaleReasonAsync(saved, model, store, cancellationToken);
            if (stale is not null)
            {
                log.Diagnostic(Diagnose.StalePlan(SourceLocation.None(path), stale,
                    hint: $"review a new plan: migrate plan {Path.GetRelativePath(Environment.CurrentDirectory, planPath)} --out {path}"));
                return ExitCodes.Error;
            }

            // The world outside (sources, Exchange Online) moves on its own: how it differs from the saved figures is said, and
            // apply converges on it as it is now.
            foreach (var moved in await SavedPlanDrift.CheckAsync(saved, model, graph, store, AdapterComposition.CreateRegistry(), SourceLocation.None(path), cancellationToken))
            {
                log.Diagnostic(moved);
            }
        }

        using var signals = new GracefulStop(console, cancellationToken, log);
        // Every mailbox apply runs itself (one copy step each); Exchange-native batches report through their own steps.
        var mailboxCount = graph.Steps.Where(s => s.Kind is StepKind.CopyFolders or StepKind.CopyContacts or StepKind.CopyCalendar).Select(s => (s.Migration, s.Mailbox)).Distinct().Count();
        var observer = ProgressView.Create(console, log, request.Verbosity == "quiet", mailboxCount);
        log.Write("run-started", $"Applying plan {model.Name} ({path}), state {store.Location}", ("PlanName", model.Name), ("State", store.Location), ("Mailboxes", mailboxCount));
        var executor = new Executor(store, AdapterComposition.CreateRegistry(), logging.Logger);
        var options = new ExecutionOptions { Delta = request.Delta, Observer = observer, StopRequested = signals.StopRequested, Command = "apply", StateLocation = store.Location,
            WorkersExpected = expected, LeaseDuration = WorkerOptions.LeaseDuration() };
        var summary = await executor.ApplyAsync(model, graph, options, signals.HardStop);
        observer.Complete();
        // Read before the account: a write in between makes the snapshot look older than it is, never newer.
        var revision = await StatusSnapshots.RevisionAsync(store, model.Name, CancellationToken.None);
        var account = await PlanAccount.ReadAsync(model, graph, store, CancellationToken.None);
        await SaveStatusSnapshotAsync(store, model, graph, account, revision, logging.Logger);
        // Item events are only read when this run produced some (a no-op re-run must stay cheap).
        var events = summary.BadItems + summary.Warnings + summary.Filtered + summary.Items.Kinds.Sum(k => k.Counters.BadItems) == 0
            ? []
            : (await store.GetItemEventsAsync(model.Name, CancellationToken.None)).Where(e => e.RunId == summary.RunId).ToList();
        SummaryPrinter.Print(console, log, model, summary, account, events);
        if (model.Reports.Count > 0 && expected is not null && summary.Worker is { RendersReports: false } worker)
        {
            log.Diagnostic(Diagnose.ReportsLeftToLastWorker(SourceLocation.None(path), worker.RoundId, expected));
        }
        else if (model.Reports.Count > 0)
        {
            // Reports are rendered after every run, a failed one included; a template error never changes the run's outcome.
            var reports = await Reports.ReportRenderer.RenderAsync(model, graph, store, summary, null, null, CancellationToken.None);
            foreach (var file in reports.FilesWritten)
            {
                log.Write("report-written", $"Report written: {Path.GetRelativePath(Environment.CurrentDirectory, file)}", ("Path", Path.GetRelativePath(Environment.CurrentDirectory, file)));
            }

            foreach (var diagnostic in reports.Diagnostics)
            {
                log.Diagnostic(diagnostic);
            }
        }

        logging.Logger.Information("Run {RunId} finished: {Copied} copied, {Present} already present, {Failed} mailboxes failed", summary.RunId, summary.Copied, summary.AlreadyPresent, summary.FailedMailboxes);
        return summary.Interrupted ? signals.InterruptedExitCode : summary.Succeeded ? ExitCodes.Success : ExitCodes.Error;
    }

    /// <summary>Keeps what status would print now, so status answers from it until the state or the plan changes.</summary>
    private static async Task SaveStatusSnapshotAsync(IStateStore store, PlanModel model, ExecutionGraph graph, PlanAccount account, long revision, Serilog.ILogger logger)
    {
        try
        {
            await StatusSnapshots.SaveAsync(store, model, revision, StatusView.Build(model, graph, account), CancellationToken.None);
        }
        catch (StateStoreException ex)
        {
            // Only a cache: status computes the same figures from the records without it.
            logger.Warning("Status snapshot not kept: {Reason}", ex.Message);
        }
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
