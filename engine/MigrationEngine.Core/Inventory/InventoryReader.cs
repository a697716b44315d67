using System.Diagnostics;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Execution.Gmail;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Inventory;

/// <summary>
/// <c>migrate inventory</c>: reads every source mailbox of the plan, read-only, and adds up what it holds per folder. Only
/// listings are read: IMAP through <see cref="IContentKeySource"/> (UID FETCH FLAGS INTERNALDATE RFC822.SIZE; no header and
/// no body is opened), files through their listing (sizes and the header fields a listing reads). Mailboxes of one migration
/// are read in parallel up to its <c>concurrency.mailboxes</c>, as apply and check do. A Gmail source is listed as Gmail
/// shows it over IMAP (labels as folders, All Mail), so its folders can be checked and its messages counted once.
/// </summary>
public sealed class InventoryReader(AdapterRegistry adapters, Serilog.ILogger? logger = null)
{
    private readonly Serilog.ILogger _logger = logger ?? Serilog.Core.Logger.None;

    public async Task<IReadOnlyList<MailboxInventory>> ReadAsync(PlanModel plan, InventoryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var work = plan.Migrations
            .Select(m => (Migration: m, Mailboxes: PlanCompiler.MailboxesOf(plan, m).Where(b => Wanted(b, options.Mailbox)).ToList()))
            .ToList();
        var total = work.Sum(w => w.Mailboxes.Count);
        var done = 0;
        var rows = new List<MailboxInventory>();
        foreach (var (migration, mailboxes) in work)
        {
            var results = new MailboxInventory[mailboxes.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, mailboxes.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, migration.Concurrency.Mailboxes), CancellationToken = cancellationToken },
                async (index, ct) =>
                {
                    results[index] = await ReadMailboxAsync(plan, migration, mailboxes[index], ct);
                    options.Progress?.Report((Interlocked.Increment(ref done), total));
                });
            rows.AddRange(results);
        }

        return rows;
    }

    /// <summary>Each address book and calendar of the source, its items counted as the copy reads them (a bad item is one the source cannot read).</summary>
    private async Task<IReadOnlyList<CollectionInventory>> ReadCollectionsAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        var collections = new List<CollectionInventory>();
        await using var source = await adapters.PimSource(context.Endpoint.Type, context.Endpoint.Location).OpenAsync(context, cancellationToken);
        foreach (var kind in context.Migration.Items.Where(k => k != ItemKind.Mail))
        {
            foreach (var collection in await source.ListCollectionsAsync(kind, cancellationToken))
            {
                var (items, bytes, bad) = (0, 0L, 0);
                await foreach (var item in source.ReadItemsAsync(collection, cancellationToken))
                {
                    items++;
                    bytes += System.Text.Encoding.UTF8.GetByteCount(item.Text);
                    bad += item.Problem is null ? 0 : 1;
                }

                collections.Add(new CollectionInventory(kind, collection.Path, items, bytes, bad));
            }
        }

        return collections;
    }

    private static bool Wanted(MailboxEntry mailbox, string? wanted) =>
        wanted is null
        || string.Equals(mailbox.SourceAddress, wanted, StringComparison.OrdinalIgnoreCase)
        || string.Equals(mailbox.TargetAddress, wanted, StringComparison.OrdinalIgnoreCase);

    private async Task<MailboxInventory> ReadMailboxAsync(PlanModel plan, MigrationDefinition migration, MailboxEntry mailbox, CancellationToken cancellationToken)
    {
        var row = new MailboxInventory { Migration = migration.Name, Source = mailbox.SourceAddress, Target = mailbox.TargetAddress, RecordedAt = DateTimeOffset.UtcNow };
        var source = plan.Sources.GetValueOrDefault(migration.From);
        var readsItems = source is not null && migration.Items.Any(k => k != ItemKind.Mail) && adapters.HasPimSource(source.Type);
        var readsMail = source is not null && migration.MovesMail && adapters.HasSource(source.Type);
        if (source is null || (!readsMail && !readsItems))
        {
            return row with { Outcome = InventoryOutcome.NotRead };
        }

        var context = new MailboxContext(plan, migration, source, mailbox, _logger);
        var clock = Stopwatch.StartNew();
        try
        {
            if (readsItems)
            {
                row = row with { Collections = await ReadCollectionsAsync(context, cancellationToken) };
            }

            if (!readsMail)
            {
                return row with { RecordedAt = DateTimeOffset.UtcNow };
            }

            await using var opened = await adapters.Source(source.Type, source.Location).OpenAsync(context, cancellationToken);
            var gmail = opened is GmailSource;
            var listing = opened is GmailSource view ? view.Inner : opened;
            var matcher = new FolderRulesMatcher(migration.Folders);
            var folders = new List<FolderInventory>();
            foreach (var folder in await listing.ListFoldersAsync(cancellationToken))
            {
                var tally = new FolderTally(folder, matcher.ExclusionRule(folder.Path), migration.Filters.MaxMessageSize);
                var summaries = listing is IContentKeySource keyless
                    ? keyless.ListMessagesWithoutKeysAsync(folder, null, cancellationToken)
                    : listing.ListMessagesAsync(folder, null, cancellationToken);
                await foreach (var summary in summaries)
                {
                    tally.Add(summary);
                }

                folders.Add(tally.ToInventory());
            }

            _logger.Information("inventory of {Mailbox} ({Migration}): {Folders} folders in {Seconds:0.0} s", mailbox.SourceAddress, migration.Name, folders.Count, clock.Elapsed.TotalSeconds);
            return row with { GmailShaped = gmail, Folders = folders, RecordedAt = DateTimeOffset.UtcNow };
        }
        catch (Exception ex) when (ex is MigrationException or SecretUnavailableException or IOException)
        {
            var cause = RetryPolicy.ToDiagnostic(ex, migration, mailbox.SourceAddress);
            var failure = Diagnose.InventoryMailboxFailed(mailbox.Location, mailbox.SourceAddress, migration.Name, $"{cause.Code}: {cause.Message}",
                hint: cause.Hint);
            return row with { Outcome = InventoryOutcome.Failed, Failure = failure };
        }
    }
}
