using System.CommandLine;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.State;
using MigrationEngine.Reports;

namespace MigrationEngine.Cli.Commands;

/// <summary>
/// <c>migrate report PLAN [--template T] [--out PATH] [--state PATH]</c>: renders reports from state at any time.
/// A plan never applied gives a report with every mailbox pending (exit 0, with a note on stderr);
/// template errors are printed MSBuild-style and exit 1.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var plan = Options.Plan();
        var state = Options.State();
        var template = new Option<string?>("--template")
        {
            Description = "Template to render instead of spec.reports: builtin:summary.md, builtin:report.html, builtin:mailboxes.csv, builtin:run.json, or a file (relative to the current folder)",
        };
        var output = new Option<string?>("--out")
        {
            Description = "Write the report to this file (folders are created) instead of the plan's outputs or standard output",
        };
        var command = new Command("report", "Render reports (spec.reports, or builtin:summary.md to standard output) from state") { plan, state, template, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var model = PlanInput.Load(console, parse.GetValue(plan)!);
            if (model is null)
            {
                return ExitCodes.Error;
            }

            var statePath = StateLocator.Resolve(model, parse.GetValue(state));
            // A plan never applied has no state file; reading must not create one.
            await using var store = StateLocator.MayExist(statePath)
                ? await StateLocator.OpenAsync(console, model, parse.GetValue(state), cancellationToken)
                : new EmptyStateStore(statePath);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            var result = await ReportRenderer.RenderAsync(model, PlanCompiler.Compile(model), store, null, parse.GetValue(template), parse.GetValue(output), cancellationToken);
            if (result.StandardOutput is not null)
            {
                console.Out.Write(result.StandardOutput);
            }

            DiagnosticPrinter.Print(console, result.Diagnostics, "text", summaryLine: result.HasErrors);
            foreach (var file in result.FilesWritten)
            {
                console.Error.WriteLine($"Wrote {file}");
            }

            return result.HasErrors ? ExitCodes.Error : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The state of a plan that was never applied: nothing recorded. Reading only; the report never writes state.</summary>
    private sealed class EmptyStateStore(string location) : IStateStore
    {
        public string Location => location;

        public Task<IAsyncDisposable> AcquireLockAsync(string planName, string command, CancellationToken cancellationToken) => throw ReadOnly();

        public Task<LockOwner?> GetLockOwnerAsync(string planName, CancellationToken cancellationToken) => Task.FromResult<LockOwner?>(null);

        public Task<bool> ForceUnlockAsync(string planName, CancellationToken cancellationToken) => throw ReadOnly();

        public Task<IReadOnlyDictionary<string, StepRecord>> GetStepsAsync(string planName, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, StepRecord>>(new Dictionary<string, StepRecord>());

        public Task SaveStepAsync(string planName, StepRecord step, CancellationToken cancellationToken) => throw ReadOnly();

        public Task<string> GetStateHashAsync(string planName, CancellationToken cancellationToken) => throw ReadOnly();

        public Task<LedgerFolderView> GetLedgerFolderAsync(string planName, string migration, string mailbox, string folder, CancellationToken cancellationToken) =>
            Task.FromResult(LedgerFolderView.Empty);

        public Task<IReadOnlyDictionary<string, int>> GetLedgerFolderCountsAsync(string planName, string migration, string mailbox, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>());

        public Task RecordMessagesAsync(string planName, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken) => throw ReadOnly();

        public Task RecordItemEventsAsync(string planName, IReadOnlyList<ItemEvent> events, CancellationToken cancellationToken) => throw ReadOnly();

        public Task<IReadOnlyList<LedgerEntry>> GetLedgerEntriesAsync(string planName, string migration, string mailbox, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<LedgerEntry>>([]);

        public Task<IReadOnlyList<ItemEvent>> GetItemEventsAsync(string planName, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ItemEvent>>([]);

        public Task<FolderCursor?> GetCursorAsync(string planName, string migration, string mailbox, string folder, CancellationToken cancellationToken) =>
            Task.FromResult<FolderCursor?>(null);

        public Task SaveCursorAsync(string planName, string migration, string mailbox, string folder, FolderCursor cursor, CancellationToken cancellationToken) => throw ReadOnly();

        public Task<long> StartRunAsync(string planName, string command, CancellationToken cancellationToken) => throw ReadOnly();

        public Task FinishRunAsync(long runId, string outcome, string summaryJson, CancellationToken cancellationToken) => throw ReadOnly();

        public Task<IReadOnlyList<RunRecord>> GetRunsAsync(string planName, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<RunRecord>>([]);

        public Task<IReadOnlyList<MailboxTotals>> GetMailboxTotalsAsync(string planName, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<MailboxTotals>>([]);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static InvalidOperationException ReadOnly() => new("the report command reads state only");
    }
}
