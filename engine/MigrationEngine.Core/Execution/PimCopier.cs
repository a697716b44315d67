using System.Text;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Copies a mailbox's contacts and calendars after its mail (or alone when <c>items:</c> names no mail), one step per item
/// kind. Per collection: the target's collection is ensured, the items it holds are listed by key (each target stores the
/// key with each item it writes), and each source item is compared with the ledger and the target: created when neither
/// knows it, left alone when the target holds it with the same content hash, updated in place when the hash moved, never
/// written twice. The ledger rows are written after the items, so a crash in between leaves items the next run finds in the
/// target (present), as it does after a run without state. A bad item (unreadable, refused by the target) is recorded with
/// its reason and the mailbox goes on.
/// </summary>
internal sealed class PimCopier(MailboxRun mailboxRun, RetryPipeline retry, Action<Step> stepStarted)
{
    private const int LedgerBatch = 50;

    private readonly MailboxRun _mailboxRun = mailboxRun;
    private readonly RetryPipeline _retry = retry;
    private readonly RunContext _run = mailboxRun.Run;
    private IPimSource? _source;
    private IPimTarget? _target;

    /// <summary>Runs each item kind's step; false when one failed (its diagnostic is in the mailbox's result).</summary>
    public async Task<bool> CopyAsync(CancellationToken cancellationToken)
    {
        var migration = _mailboxRun.Migration;
        var ok = true;
        try
        {
            foreach (var kind in migration.Items.Where(kind => PimSteps.KindOf(kind) is not null))
            {
                var step = _run.Graph[PimSteps.Id(kind, migration.Name, _mailboxRun.Key)];
                stepStarted(step);
                await _run.SaveStepAsync(step, StepStatus.Running, null, null, cancellationToken);
                var counters = _mailboxRun.Result.Items[kind];
                try
                {
                    await CopyKindAsync(kind, counters, cancellationToken);
                    ReportDropped(kind, counters);
                    _mailboxRun.Log.Information("Mailbox {Mailbox} {Kind}: {Created} created, {Present} already present, {Updated} updated, {Bad} bad items in {Collections} collection(s)",
                        _mailboxRun.Key, ItemCapabilities.Name(kind), counters.Created, counters.AlreadyPresent, counters.Updated, counters.BadItems, counters.Collections);
                    await _run.SaveStepAsync(step, StepStatus.Succeeded, null, ExecutionJson.PimCounters(counters), cancellationToken);
                }
                catch (Exception ex) when (ex is not StopRequestedException and not OperationCanceledException && !_mailboxRun.Lease.IsLost)
                {
                    var diagnostic = RetryPolicy.ToDiagnostic(ex, migration, _mailboxRun.Key);
                    _mailboxRun.Log.Error("Mailbox {Mailbox} failed in step {Step}: {Message}", _mailboxRun.Key, step.Id, diagnostic.Message);
                    _mailboxRun.Result.Diagnostics.Add(diagnostic);
                    await _run.SaveStepAsync(step, StepStatus.Failed, diagnostic.Message, ExecutionJson.PimCounters(counters), CancellationToken.None);
                    ok = false;
                }
            }
        }
        finally
        {
            if (_source is not null)
            {
                await _source.DisposeAsync();
            }

            if (_target is not null)
            {
                await _target.DisposeAsync();
            }
        }

        return ok;
    }

    private async Task CopyKindAsync(ItemKind kind, PimKindCounters counters, CancellationToken cancellationToken)
    {
        var plan = _run.Plan;
        var sourceEndpoint = _mailboxRun.SourceContext.Endpoint;
        var targetEndpoint = _mailboxRun.TargetContext.Endpoint;
        _source ??= await _retry.ExecuteAsync(async ct => await _run.Adapters.PimSource(sourceEndpoint.Type, sourceEndpoint.Location).OpenAsync(_mailboxRun.SourceContext, ct), cancellationToken);
        _target ??= await _retry.ExecuteAsync(async ct => await _run.Adapters.PimTarget(targetEndpoint.Type, targetEndpoint.Location).OpenAsync(_mailboxRun.TargetContext, ct), cancellationToken);
        var source = _source;
        var target = _target;
        var ledger = PimLedger.Latest(await _run.State.GetLedgerEntriesAsync(plan.Name, _mailboxRun.Migration.Name, _mailboxRun.Key, cancellationToken));
        var collections = await _retry.ExecuteAsync(async ct => await source.ListCollectionsAsync(kind, ct), cancellationToken);
        foreach (var collection in collections)
        {
            counters.AddCollection();
            var targetCollection = await _retry.ExecuteAsync(async ct => await target.EnsureCollectionAsync(collection, ct), cancellationToken);
            var inTarget = new Dictionary<string, PimTargetItem>(StringComparer.Ordinal);
            foreach (var held in await _retry.ExecuteAsync(async ct => await target.ListItemsAsync(targetCollection, ct), cancellationToken))
            {
                inTarget.TryAdd(held.Key, held);
            }

            var folder = new CollectionCopy(this, kind, counters, PimLedger.Folder(kind, collection.Path), PimLedger.Folder(kind, targetCollection.Path));
            await foreach (var item in source.ReadItemsAsync(collection, cancellationToken))
            {
                await folder.CopyAsync(item, targetCollection, ledger, inTarget, cancellationToken);
                if (folder.Pending >= LedgerBatch)
                {
                    await folder.RecordAsync();
                }
            }

            await folder.RecordAsync();
            if (_run.Options.StopRequested.IsCancellationRequested)
            {
                throw new StopRequestedException();
            }
        }
    }

    private void ReportDropped(ItemKind kind, PimKindCounters counters)
    {
        foreach (var (what, count) in counters.Dropped.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            _mailboxRun.Result.Diagnostics.Add(Diagnose.PimDropped(_mailboxRun.Migration.Location,
                _mailboxRun.Key, ItemCapabilities.Name(kind), _mailboxRun.TargetContext.Endpoint.Name, what, count,
                    hint: "docs/design.md lists what each target keeps and drops"));
        }
    }

    /// <summary>One source collection's items on their way to one target collection, with the ledger rows and events to record.</summary>
    private sealed class CollectionCopy(PimCopier copier, ItemKind kind, PimKindCounters counters, string folder, string targetFolder)
    {
        private readonly List<LedgerEntry> _records = [];
        private readonly List<ItemEvent> _events = [];
        private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);

        public int Pending => _records.Count + _events.Count;

        public async Task CopyAsync(PimItem item, PimTargetCollection targetCollection, Dictionary<(string Folder, string Key), LedgerEntry> ledger,
            Dictionary<string, PimTargetItem> inTarget, CancellationToken cancellationToken)
        {
            if (item.Problem is { } problem)
            {
                Bad(item, problem);
                return;
            }

            if (!_seen.TryAdd(item.Key, item.SourceId))
            {
                Bad(item, $"it has the same UID as item {_seen[item.Key]} of this {(kind == ItemKind.Contacts ? "address book" : "calendar")}, which was copied instead");
                return;
            }

            ledger.TryGetValue((folder, item.Key), out var recorded);
            inTarget.TryGetValue(item.Key, out var existing);
            if (existing is not null && (existing.ContentHash ?? recorded?.Sha256) is var held && (held is null || held == item.ContentHash))
            {
                counters.AddPresent();
                if (recorded is null || recorded.Sha256 != item.ContentHash || recorded.TargetId != existing.TargetId)
                {
                    _records.Add(Entry(item, PimLedger.Present, existing.TargetId, recorded));
                }

                return;
            }

            var written = await copier._retry.ExecuteAsync(async ct => await copier._target!.WriteAsync(targetCollection, item, existing?.TargetId, ct), cancellationToken);
            if (written.Rejected)
            {
                Bad(item, "the target refused it: " + written.RejectionReason);
                return;
            }

            foreach (var what in written.Dropped)
            {
                counters.AddDropped(what);
            }

            if (existing is null)
            {
                counters.AddCreated();
            }
            else
            {
                counters.AddUpdated();
            }

            _records.Add(Entry(item, existing is null ? PimLedger.Created : PimLedger.Updated, written.TargetId, recorded));
        }

        public async Task RecordAsync()
        {
            var mailboxRun = copier._mailboxRun;
            if (_records.Count > 0)
            {
                await mailboxRun.Lease.RecordMessagesAsync(copier._run.State, [.. _records], CancellationToken.None);
                _records.Clear();
            }

            if (_events.Count > 0)
            {
                await copier._run.State.RecordItemEventsAsync(copier._run.Plan.Name, [.. _events], CancellationToken.None);
                _events.Clear();
            }
        }

        private void Bad(PimItem item, string reason)
        {
            counters.AddBad();
            var mailboxRun = copier._mailboxRun;
            mailboxRun.Log.Warning("Mailbox {Mailbox}: {Kind} item {Item} not copied: {Reason}", mailboxRun.Key, ItemCapabilities.Name(kind), item.SourceId, reason);
            _events.Add(new ItemEvent
            {
                Migration = mailboxRun.Migration.Name,
                Mailbox = mailboxRun.Key,
                Folder = folder,
                SourceId = item.SourceId,
                Kind = PimLedger.BadItemEvent,
                Reason = reason,
                Size = Encoding.UTF8.GetByteCount(item.Text),
                RunId = copier._run.RunId,
                RecordedAt = DateTimeOffset.UtcNow,
            });
        }

        private LedgerEntry Entry(PimItem item, string outcome, string? targetId, LedgerEntry? recorded) => new()
        {
            Migration = copier._mailboxRun.Migration.Name,
            Mailbox = copier._mailboxRun.Key,
            Folder = folder,
            FolderValidity = (recorded?.FolderValidity ?? 0) + 1,
            SourceId = item.Key,
            DedupKey = item.Key,
            Sha256 = item.ContentHash,
            Size = Encoding.UTF8.GetByteCount(item.Text),
            TargetFolder = targetFolder,
            TargetId = targetId,
            Outcome = outcome,
            RunId = copier._run.RunId,
            RecordedAt = DateTimeOffset.UtcNow,
        };
    }
}
