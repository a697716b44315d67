using Polly;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// The ensure-folders step of one mailbox: every target folder the copy needs exists before the copy starts, parents
/// before children. On a first pass the folders are spread over the mailbox's connection pairs, which the copy opens
/// anyway: creating a folder costs an IMAP target three round trips (CREATE, the LIST MailKit sends after it, SUBSCRIBE),
/// so ten folders one after another were about thirty round trips before the first message moved.
/// </summary>
/// <remarks>
/// Folders are ensured in chains that never run side by side: all the folders under one top-level name form one chain
/// (in depth order), so two connections never create the same missing parent at once (an IMAP server answers the second
/// CREATE with ALREADYEXISTS, but Graph would fail it), and all the folders with one special use form one chain (two
/// paths may resolve to the same special folder). A delta pass, where the folders exist already and each costs nothing beyond
/// the one listing, stays on the mailbox's first pair and opens no other.
/// </remarks>
internal sealed class TargetFolderEnsurer(MailboxRun mailboxRun, AdapterRegistry adapters, List<ConnectionPair> connections, ResiliencePipeline retry)
{
    public async Task EnsureAsync(IReadOnlyList<FolderAssignment> assignments, CancellationToken cancellationToken)
    {
        // Parents first: a folder's parent that is a folder of its own in the source is created before it. Several source
        // folders may go to one target path; the first in the listing's order gives its special use, as before.
        var wanted = assignments
            .Where(a => !mailboxRun.TargetFolders.ContainsKey(a.TargetPath))
            .GroupBy(a => a.TargetPath, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(a => a.TargetPath.Count(c => c == '/'))
            .ThenBy(a => a.TargetPath, StringComparer.Ordinal)
            .ToList();
        // The longest chain first, to the pair that is open already. INBOX is no chain's: it exists in every mailbox.
        var chains = new Queue<List<FolderAssignment>>(wanted
            .Where(a => a.SpecialUse != SpecialUse.Inbox)
            .GroupBy(a => a.SpecialUse != SpecialUse.None ? "\0" + a.SpecialUse : a.TargetPath.Split('/')[0], StringComparer.Ordinal)
            .Select(g => g.ToList())
            .OrderByDescending(chain => chain.Count));
        if (wanted.FirstOrDefault(a => a.SpecialUse == SpecialUse.Inbox) is { } inbox)
        {
            chains = new Queue<List<FolderAssignment>>(chains.Prepend([inbox]));
        }

        var creating = chains.Count(chain => chain[0].SpecialUse != SpecialUse.Inbox);
        var pairCount = mailboxRun.Delta ? 1 : Math.Clamp(creating, 1, Math.Max(1, mailboxRun.Migration.Concurrency.ConnectionsPerMailbox));
        while (connections.Count < pairCount)
        {
            connections.Add(new ConnectionPair(mailboxRun, adapters));
        }

        var gate = new object();
        bool TryTake(out List<FolderAssignment> chain)
        {
            lock (gate)
            {
                return chains.TryDequeue(out chain!);
            }
        }

        // A helper that waits for a connection slot stops waiting once the first pair has ensured what was left.
        using var firstDone = new CancellationTokenSource();
        async Task Work(ConnectionPair pair, bool first)
        {
            if (!first && !await OpenToHelpAsync(pair, firstDone.Token, cancellationToken))
            {
                return;
            }

            try
            {
                await EnsureChainsAsync(pair);
            }
            finally
            {
                if (first)
                {
                    await firstDone.CancelAsync();
                }
            }
        }

        async Task EnsureChainsAsync(ConnectionPair pair)
        {
            while (TryTake(out var chain))
            {
                foreach (var assignment in chain)
                {
                    mailboxRun.TargetFolders[assignment.TargetPath] = await retry.ExecuteAsync(
                        async ct =>
                        {
                            await pair.OpenTargetAsync(ct);
                            return await pair.Target!.EnsureFolderAsync(assignment.TargetPath, assignment.SpecialUse, ct);
                        },
                        cancellationToken);
                }
            }
        }

        await Task.WhenAll(connections.Take(pairCount).Select((pair, index) => Work(pair, index == 0)));
    }

    /// <summary>
    /// Opens a pair other than the first to help; false when it could not (no connection slot of a capped server before the
    /// first pair was done, a failed login): the other pairs ensure the folders, and the copy opens it when it has work for it.
    /// </summary>
    private async Task<bool> OpenToHelpAsync(ConnectionPair pair, CancellationToken firstDone, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(firstDone, cancellationToken);
        try
        {
            await pair.EnsureOpenAsync(waiting.Token);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is OperationCanceledException || RetryPolicy.IsTransient(ex)))
        {
            mailboxRun.Log.Debug("A connection pair opened to ensure folders did not open: {Message}", ex.Message);
            await pair.ReopenAsync(CancellationToken.None);
            return false;
        }
    }
}
