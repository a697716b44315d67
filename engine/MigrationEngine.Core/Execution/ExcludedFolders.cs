using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Accounts for the messages of source folders the plan's folder rules leave out: each is recorded as an item event of kind
/// <c>filtered</c> naming the rule ("in folder Junk, left out by folders.exclude 'Junk'"), so the summary, status and the
/// reports count it with the messages the filters leave out, and no source message goes unaccounted for. The folder is
/// listed (never fetched) after the copy; a message whose one copy went to another folder (Gmail labels) or whose dedup key
/// a copied folder listed in this run is not counted: it was not left out.
/// </summary>
internal static class ExcludedFolders
{
    private const int BatchEvents = 500;

    public static async Task CountAsync(MailboxRun mailboxRun, ConnectionPair pair, IReadOnlyList<SourceFolder> folders, FolderRulesMatcher matcher, CancellationToken cancellationToken)
    {
        var excluded = folders.Select(f => (Folder: f, Rule: matcher.ExclusionRule(f.Path))).Where(f => f.Rule is not null).ToList();
        if (excluded.Count == 0)
        {
            return;
        }

        var copiedKeys = new HashSet<string>(mailboxRun.SourceKeys.Values.SelectMany(keys => keys), StringComparer.Ordinal);
        foreach (var (folder, rule) in excluded)
        {
            try
            {
                await pair.OpenSourceAsync(cancellationToken);
                var counted = await CountFolderAsync(mailboxRun, pair.Source!, folder, $"in folder {folder.Path}, left out by {rule}", copiedKeys, cancellationToken);
                mailboxRun.Log.ForContext("Folder", folder.Path)
                    .Information("Folder {Folder} is left out by {Rule}: {Messages} messages accounted for as left out", folder.Path, rule, counted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not StopRequestedException)
            {
                // Counting is an account, not a copy: a folder that cannot be listed (\Noselect, gone) does not fail the mailbox.
                mailboxRun.Log.ForContext("Folder", folder.Path)
                    .Warning("Folder {Folder} is left out by {Rule}; its messages could not be counted: {Message}", folder.Path, rule, ex.Message);
            }
        }
    }

    private static async Task<int> CountFolderAsync(MailboxRun mailboxRun, IMailSource source, SourceFolder folder, string reason, HashSet<string> copiedKeys, CancellationToken cancellationToken)
    {
        var run = mailboxRun.Run;
        var events = new List<ItemEvent>();
        var counted = 0;
        await foreach (var summary in source.ListMessagesAsync(folder, null, cancellationToken))
        {
            if (summary.PlacedIn is not null || copiedKeys.Contains(summary.DedupKey))
            {
                continue;
            }

            counted++;
            mailboxRun.Result.Counters.AddFiltered();
            events.Add(new ItemEvent
            {
                Migration = mailboxRun.Migration.Name,
                Mailbox = mailboxRun.Key,
                Folder = folder.Path,
                SourceId = summary.SourceId,
                Kind = "filtered",
                Reason = reason,
                Size = summary.Size,
                RunId = run.RunId,
                RecordedAt = DateTimeOffset.UtcNow,
            });
            if (events.Count >= BatchEvents)
            {
                await run.State.RecordItemEventsAsync(run.Plan.Name, events, cancellationToken);
                events.Clear();
            }
        }

        if (events.Count > 0)
        {
            await run.State.RecordItemEventsAsync(run.Plan.Name, events, cancellationToken);
        }

        return counted;
    }
}
