using System.Collections.Concurrent;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// The verify step of one mailbox: compares, per target folder, the dedup keys expected from the source with those the
/// target holds; folders in parallel on the copy's connection pairs.
/// </summary>
internal sealed class Verifier(MailboxRun mailboxRun, List<ConnectionPair> connections, RetryPipeline retry)
{
    public async Task VerifyAsync(IReadOnlyList<FolderAssignment> assignments, CancellationToken cancellationToken)
    {
        var groups = assignments.GroupBy(a => a.TargetPath, StringComparer.Ordinal)
            .OrderByDescending(g => g.Sum(a => a.Source.MessageCount ?? 0))
            .ToList();
        var results = new ConcurrentDictionary<string, FolderVerification>(StringComparer.Ordinal);
        foreach (var byCount in await VerifyByCountAsync(groups, connections[0], cancellationToken))
        {
            results[byCount.TargetFolder] = byCount;
        }

        var toCompare = groups.Where(group => !results.ContainsKey(group.Key)).ToList();

        var queue = new ConcurrentQueue<IGrouping<string, FolderAssignment>>(toCompare);

        async Task Work(ConnectionPair pair)
        {
            while (queue.TryDequeue(out var group))
            {
                results[group.Key] = await CompareByKeyAsync(group, pair, cancellationToken);
            }
        }

        await Task.WhenAll(connections.Take(Math.Max(1, Math.Min(connections.Count, toCompare.Count))).Select(Work));
        mailboxRun.Result.Verification.AddRange(results.Values.OrderBy(v => v.TargetFolder, StringComparer.Ordinal));
    }

    private async Task<FolderVerification> CompareByKeyAsync(IGrouping<string, FolderAssignment> group, ConnectionPair pair, CancellationToken cancellationToken)
    {
        var expected = new List<string>();
        foreach (var assignment in group)
        {
            if (!mailboxRun.SourceKeys.TryGetValue(assignment.Source.Path, out var keys))
            {
                keys = await retry.ExecuteAsync(
                    async ct =>
                    {
                        await pair.EnsureOpenAsync(ct);
                        return await ListExpectedKeysAsync(pair, assignment.Source, ct);
                    },
                    cancellationToken);
            }

            expected.AddRange(keys);
        }

        var targetFolder = mailboxRun.TargetFolders[group.Key];
        var held = await retry.ExecuteAsync(
            async ct =>
            {
                await pair.EnsureOpenAsync(ct);
                return pair.Target is IFingerprintTarget fingerprints
                    ? await fingerprints.ListMessageFingerprintsAsync(targetFolder, ct)
                    : (await pair.Target!.ListMessageKeysAsync(targetFolder, ct)).Select(key => new TargetMessage(key)).ToList();
            },
            cancellationToken);
        var found = new KeyMultiset(held.Select(m => m.DedupKey));
        var missing = expected.Count(key => !found.TryTake(key));
        // What is left in the target either repeats a source message (a duplicate) or matches none (foreign). Where the target
        // tells sizes and dates, only identical ones are copies of one message: another message with the key is foreign.
        var sourceKeys = new HashSet<string>(expected, StringComparer.Ordinal);
        var copiesOfOne = held.GroupBy(m => m.DedupKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count() - g.Select(m => (m.Size, m.InternalDate?.ToUnixTimeSeconds())).Distinct().Count(), StringComparer.Ordinal);
        var extra = found.Remaining();
        var duplicateKeys = extra.Where(pair => sourceKeys.Contains(pair.Key))
            .Select(pair => KeyValuePair.Create(pair.Key, Math.Min(pair.Value, held.Any(m => m.Size is not null) ? copiesOfOne[pair.Key] : pair.Value)))
            .Where(pair => pair.Value > 0)
            .ToList();
        var duplicates = duplicateKeys.Sum(pair => pair.Value);
        return new FolderVerification(group.Key, expected.Count, expected.Count - missing, missing, duplicates, extra.Sum(pair => pair.Value) - duplicates,
            duplicates == 0 ? null : [.. duplicateKeys.Select(pair => pair.Key).Order(StringComparer.Ordinal).Take(5)]);
    }

    /// <summary>
    /// A folder's count can stand in for listing its messages. A target folder fed only by folders this delta pass found
    /// unchanged was compared message by message when they were copied; now it is enough that it still holds at least as
    /// many messages as the ledger put there. A folder this run copied is proven when the ledger accounts for every
    /// message the source should have there (copied or found present) and the target holds exactly that many: a missing
    /// message would need a foreign one in its place, a duplicate would make the count larger. The folders that pass are
    /// returned; the others (or all, when the target cannot count cheaply) are compared by dedup key.
    /// </summary>
    private async Task<List<FolderVerification>> VerifyByCountAsync(IReadOnlyList<IGrouping<string, FolderAssignment>> groups, ConnectionPair pair,
        CancellationToken cancellationToken)
    {
        bool Unchanged(FolderAssignment a) => mailboxRun.UnchangedFolders.ContainsKey(a.Source.Path);
        var candidates = groups.Where(group => group.All(a => Unchanged(a) || mailboxRun.SourceKeys.ContainsKey(a.Source.Path))).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        var ledgerCounts = await mailboxRun.LedgerCountsAsync(cancellationToken);
        // A copied folder is a candidate only when the ledger has an entry for each message the source should have there.
        candidates = candidates.Where(group => group.All(a => Unchanged(a)
            || ledgerCounts.GetValueOrDefault(a.Source.Path) == mailboxRun.SourceKeys[a.Source.Path].Count)).ToList();
        if (candidates.Count == 0 || pair.Target is not null and not IFolderCountTarget)
        {
            return [];
        }

        // A count check is cheap: the first connection asks for them all at once, no others are opened for it.
        var found = await retry.ExecuteAsync(
            async ct =>
            {
                await pair.OpenTargetAsync(ct);
                return pair.Target is IFolderCountTarget counter
                    ? await counter.CountMessagesAsync(candidates.Select(group => mailboxRun.TargetFolders[group.Key]).ToList(), ct)
                    : new Dictionary<string, int>();
            },
            cancellationToken);
        var passed = new List<FolderVerification>();
        foreach (var group in candidates)
        {
            var expected = group.Sum(a => ledgerCounts.GetValueOrDefault(a.Source.Path));
            var allUnchanged = group.All(Unchanged);
            if (found.TryGetValue(mailboxRun.TargetFolders[group.Key].Path, out var count) && (allUnchanged ? count >= expected : count == expected))
            {
                passed.Add(new FolderVerification(group.Key, expected, expected, 0));
            }
        }

        return passed;
    }

    private async Task<List<string>> ListExpectedKeysAsync(ConnectionPair pair, SourceFolder folder, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var limit = pair.Target!.MaxMessageSize;
        await foreach (var summary in pair.Source!.ListMessagesAsync(folder, null, cancellationToken))
        {
            if (summary.PlacedIn is null && CopyRules.FilterReason(summary, mailboxRun.Migration.Filters) is null && !(limit is { } l && summary.Size > l))
            {
                keys.Add(summary.DedupKey);
            }
        }

        return keys;
    }
}
