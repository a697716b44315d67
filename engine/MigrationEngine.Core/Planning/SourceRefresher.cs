using System.Collections.Concurrent;
using System.Globalization;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Planning;

/// <summary>
/// Plan's refresh: reads each copied mailbox's source folders read-only (one folder listing: an IMAP LIST-STATUS, file
/// counts for files), with bounded concurrency and a time budget, and compares counts and cursors with the ledger and
/// the saved cursors. It never lists messages and never connects to a target.
/// </summary>
public sealed class SourceRefresher(IStateStore state, AdapterRegistry adapters)
{
    /// <summary>Sources read at once: enough to hide network latency, few enough not to look like an attack.</summary>
    public const int DefaultConcurrency = 8;

    /// <summary>How long a refresh may take in all unless told otherwise (plan --refresh-timeout).</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(60);

    public async Task<RefreshResult> RefreshAsync(PlanModel plan, ExecutionGraph graph, IReadOnlyDictionary<string, StepRecord> records, int concurrency, TimeSpan budget,
        CancellationToken cancellationToken)
    {
        var work = new List<(MigrationDefinition Migration, MailboxEntry Mailbox)>();
        var results = new ConcurrentBag<MailboxRefresh>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        var native = new List<NativeRefresh>();
        foreach (var migration in plan.Migrations)
        {
            NativeRefresh? service = null;
            if (PlanCompiler.IsExchangeNative(plan, migration))
            {
                service = await RefreshNativeAsync(plan, graph, records, migration, budget, deadline.Token, cancellationToken);
                native.Add(service);
            }

            foreach (var mailbox in PlanCompiler.MailboxesOf(plan, migration))
            {
                var key = PlanCompiler.MailboxKey(mailbox);
                if (service is not null)
                {
                    results.Add(service.Refreshed
                        ? new MailboxRefresh(migration.Name, key, RefreshState.Refreshed, 0, 0, false, service.UserStatuses.GetValueOrDefault(key) ?? "not in a batch in Exchange Online yet")
                        : new MailboxRefresh(migration.Name, key, RefreshState.NotRefreshed, 0, 0, false, service.Note));
                }
                else if (!migration.MovesMail)
                {
                    // Contacts and calendars are small and have no cursor: apply lists them and compares with the target and the ledger.
                    results.Add(new MailboxRefresh(migration.Name, key, RefreshState.NotRefreshed, 0, 0, false, "contacts and calendars are compared with the target by apply"));
                }
                else if (graph.Contains($"copy/{migration.Name}/{key}") && !records.ContainsKey($"copy/{migration.Name}/{key}"))
                {
                    results.Add(new MailboxRefresh(migration.Name, key, RefreshState.NeverCopied, 0, 0, false, null));
                }
                else
                {
                    work.Add((migration, mailbox));
                }
            }
        }

        // Messages a filter or the target left out are in no ledger: without a cursor their folder's count is compared
        // with the ledger plus them.
        var leftOut = work.Count == 0
            ? []
            : (await state.GetItemEventsAsync(plan.Name, cancellationToken))
                .Where(e => e.Kind is "filtered" or "bad-item")
                .GroupBy(e => (e.Migration, e.Mailbox, e.Folder))
                .ToDictionary(g => g.Key, g => g.Select(e => e.SourceId).Distinct(StringComparer.Ordinal).Count());
        var done = new ConcurrentDictionary<(string, string), bool>();
        try
        {
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = deadline.Token }, async (item, token) =>
            {
                results.Add(await RefreshMailboxAsync(plan, item.Migration, item.Mailbox, leftOut, token));
                done[(item.Migration.Name, PlanCompiler.MailboxKey(item.Mailbox))] = true;
            });
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The budget ran out: the mailboxes not read yet say so below.
        }

        foreach (var (migration, mailbox) in work.Where(w => !done.ContainsKey((w.Migration.Name, PlanCompiler.MailboxKey(w.Mailbox)))))
        {
            results.Add(new MailboxRefresh(migration.Name, PlanCompiler.MailboxKey(mailbox), RefreshState.NotRefreshed, 0, 0, false,
                string.Create(CultureInfo.InvariantCulture, $"the refresh budget of {budget.TotalSeconds:0} s ran out")));
        }

        return new RefreshResult([.. results.OrderBy(r => r.Migration, StringComparer.Ordinal).ThenBy(r => r.Mailbox, StringComparer.Ordinal)]) { Native = native };
    }

    /// <summary>An Exchange-native migration read from the service by the executor that runs it, when that executor can (read-only).</summary>
    private async Task<NativeRefresh> RefreshNativeAsync(PlanModel plan, ExecutionGraph graph, IReadOnlyDictionary<string, StepRecord> records, MigrationDefinition migration,
        TimeSpan budget, CancellationToken deadline, CancellationToken cancellationToken)
    {
        if (adapters.Native is not INativeMigrationRefresh reader)
        {
            return NativeRefresh.NotRefreshed(migration.Name, "this build cannot read Exchange Online migration batches");
        }

        var steps = graph.Steps.Where(s => s.Migration == migration.Name && s.Kind != StepKind.MigrationDone).ToList();
        try
        {
            return await reader.RefreshAsync(new NativeRefreshContext(plan, migration, steps, records, Serilog.Core.Logger.None), deadline);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return NativeRefresh.NotRefreshed(migration.Name, string.Create(CultureInfo.InvariantCulture, $"the refresh budget of {budget.TotalSeconds:0} s ran out"));
        }
    }

    private async Task<MailboxRefresh> RefreshMailboxAsync(PlanModel plan, MigrationDefinition migration, MailboxEntry mailbox, Dictionary<(string, string, string), int> leftOut,
        CancellationToken cancellationToken)
    {
        var key = PlanCompiler.MailboxKey(mailbox);
        var endpoint = plan.Sources[migration.From];
        IReadOnlyList<SourceFolder> folders;
        try
        {
            await using var source = await adapters.Source(endpoint.Type, endpoint.Location)
                .OpenAsync(new MailboxContext(plan, migration, endpoint, mailbox, Serilog.Core.Logger.None), cancellationToken);
            folders = await source.ListFoldersAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is MigrationException or SecretUnavailableException or IOException)
        {
            var note = ex is MigrationException migrationException ? migrationException.Diagnostic.Message : ex.Message;
            return new MailboxRefresh(migration.Name, key, RefreshState.Failed, 0, 0, false, note);
        }

        var ledgerCounts = await state.GetLedgerFolderCountsAsync(plan.Name, migration.Name, key, cancellationToken);
        long pending = 0;
        long vanished = 0;
        var changed = 0;
        var flagChanges = false;
        var assignments = new FolderRulesMatcher(migration.Folders).Assign(folders);
        var figures = assignments.Select(a => FolderFigure.Of(a.Source)).ToList();
        foreach (var assignment in assignments)
        {
            var folder = assignment.Source;
            var saved = folder.Cursor is null ? null : await state.GetCursorAsync(plan.Name, migration.Name, key, folder.Path, cancellationToken);
            // Fewer messages than the ledger recorded: deleted at the source since they were copied (a lower bound: arrivals hide some).
            vanished += CopyRules.Vanished(ledgerCounts.GetValueOrDefault(folder.Path), folder.MessageCount, 0);
            if (folder.Cursor is { } now && saved is not null && saved.UidValidity == now.UidValidity)
            {
                if (CopyRules.IsUnchanged(migration, folder, saved))
                {
                    continue;
                }

                // New messages: what the folder holds beyond the ledger, at most what UIDNEXT moved by.
                var arrived = Math.Max(0, Math.Min(now.UidNext - saved.UidNext, (folder.MessageCount ?? long.MaxValue) - ledgerCounts.GetValueOrDefault(folder.Path)));
                pending += arrived;
                flagChanges |= migration.SyncFlags && now.HighestModSeq != saved.HighestModSeq;
                changed += arrived > 0 || flagChanges ? 1 : 0;
                continue;
            }

            // No cursor (files), or a renumbered folder: counts only.
            if (folder.MessageCount is not { } count)
            {
                return new MailboxRefresh(migration.Name, key, RefreshState.NotRefreshed, 0, 0, false, "this source gives no folder counts") { Folders = figures };
            }

            var beyondLedger = Math.Max(0, count - ledgerCounts.GetValueOrDefault(folder.Path) - leftOut.GetValueOrDefault((migration.Name, key, folder.Path)));
            pending += beyondLedger;
            changed += beyondLedger > 0 ? 1 : 0;
        }

        return new MailboxRefresh(migration.Name, key, RefreshState.Refreshed, pending, changed, flagChanges, null, vanished) { Folders = figures };
    }
}
