using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

internal sealed partial class FolderCopy
{
    /// <summary>
    /// Copies batches of one folder, in order, on one connection pair, in three overlapping stages: while batch n is
    /// appended on the target connection, batch n+1 is fetched on the source connection and the ledger entries of batch
    /// n-1 are written. A batch is recorded only after its append answered, and the records go in one after another, so
    /// the ledger never names a message the target may not hold. Batches go in one at a time and in order, so the target
    /// keeps the source's order within what one pipeline copies. A folder streams its batches through one pipeline on its
    /// own pair; each range of a split folder goes through a pipeline of its own, on the pair that took it.
    /// </summary>
    private sealed class BatchPipeline(FolderCopy copy, IMailSource source, IMailTarget target, CancellationToken cancellationToken)
    {
        private Task? _appending;
        private Task _recording = Task.CompletedTask;

        /// <summary>The messages in batches of the run's size (messages and bytes), then waits for the last append.</summary>
        public async Task CopyAllAsync(IReadOnlyList<SourceMessage> messages)
        {
            var options = copy._run.Options;
            var batch = new List<SourceMessage>();
            long bytes = 0;
            foreach (var summary in messages)
            {
                batch.Add(summary);
                bytes += summary.Size;
                if (batch.Count >= options.BatchMessages || bytes >= options.BatchBytes)
                {
                    await CopyBatchAsync(batch);
                    batch = [];
                    bytes = 0;
                }
            }

            await CopyBatchAsync(batch);
            await DrainAsync();
        }

        /// <summary>Fetches the batch while the previous one is appended, then starts its append (not awaited).</summary>
        public async Task CopyBatchAsync(List<SourceMessage> batch)
        {
            if (batch.Count == 0)
            {
                return;
            }

            if (copy._run.Options.StopRequested.IsCancellationRequested)
            {
                await DrainAsync();
                throw new StopRequestedException();
            }

            // A ledger write that failed (the lease was lost) stops the copy before another batch is fetched.
            if (_recording.IsFaulted)
            {
                await _recording;
            }

            var contents = new List<MessageContent>(batch.Count);
            var digests = new List<ContentDigest>(batch.Count);
            try
            {
                await foreach (var content in source.FetchAsync(copy._folder, batch, cancellationToken))
                {
                    digests.Add(ContentDigest.Attach(content));
                    contents.Add(content);
                    if (copy._keysFromContent)
                    {
                        copy.AddExpected(content.Summary.DedupKey);
                    }
                }

                await AppendedAsync();
            }
            catch
            {
                await DisposeAllAsync(contents);
                throw;
            }

            // Past this point the batch is appended and recorded even when a stop is requested.
            _appending = AppendBatchAsync(contents, digests);
        }

        /// <summary>Waits for the append in flight (its ledger write may still be going on).</summary>
        private async Task AppendedAsync()
        {
            if (_appending is { } previous)
            {
                _appending = null;
                await previous;
            }
        }

        /// <summary>Waits for the append in flight and every ledger write.</summary>
        public async Task DrainAsync()
        {
            await AppendedAsync();
            await _recording;
        }

        /// <summary>After a failure: never leave an append running on a connection the retry is about to close.</summary>
        public async Task AbandonAsync(Exception failure)
        {
            try
            {
                await AppendedAsync();
            }
            catch (Exception appendFailure) when (appendFailure != failure)
            {
                copy._mailboxRun.Log.Debug("An append in flight failed too: {Message}", appendFailure.Message);
            }

            try
            {
                await _recording;
            }
            catch (Exception recordFailure) when (recordFailure != failure)
            {
                copy._mailboxRun.Log.Debug("A ledger write in flight failed too: {Message}", recordFailure.Message);
            }
        }

        private async Task AppendBatchAsync(List<MessageContent> contents, List<ContentDigest> digests)
        {
            var mailboxRun = copy._mailboxRun;
            var batchRecords = new List<LedgerEntry>(contents.Count);
            var batchEvents = new List<ItemEvent>();
            try
            {
                var results = await target.AppendAsync(copy._targetFolder, contents, cancellationToken);
                long bytes = 0;
                for (var i = 0; i < contents.Count; i++)
                {
                    var summary = contents[i].Summary;
                    var appended = results[i];
                    if (appended.Rejected)
                    {
                        batchEvents.Add(copy.Event(summary, "bad-item", appended.RejectionReason!));
                        var bad = mailboxRun.Result.Counters.AddBadItem();
                        if (copy._migration.BadItemLimit is { } limit && bad > limit)
                        {
                            copy._badItemLimitHit = true;
                            await _recording;
                            await copy.RecordAsync(batchRecords, batchEvents);
                            throw new MigrationException(Diagnose.BadItemLimitExceeded(copy._migration.Location, mailboxRun.Key, bad, limit,
                                hint: "raise badItemLimit or fix the messages the server refused (see the report)"));
                        }

                        continue;
                    }

                    if (appended.Warning is not null)
                    {
                        batchEvents.Add(copy.Event(summary, "warning", appended.Warning));
                        mailboxRun.Result.Counters.AddWarning();
                    }

                    var length = digests[i].BytesRead > 0 ? digests[i].BytesRead : summary.Size;
                    batchRecords.Add(copy.Entry(summary with { Size = length }, LedgerOutcomes.Copied, digests[i].Sha256, appended.TargetId));
                    mailboxRun.Result.Counters.AddCopied(length);
                    bytes += length;
                }

                // Written while the next batch is appended; after the writes of the batches before it.
                _recording = RecordAfterAsync(_recording, batchRecords, batchEvents, contents.Count, bytes);
            }
            finally
            {
                await DisposeAllAsync(contents);
            }
        }

        private async Task RecordAfterAsync(Task previous, List<LedgerEntry> records, List<ItemEvent> events, int count, long bytes)
        {
            await previous;
            await copy.RecordAsync(records, events);
            copy._run.Options.Observer.MessagesProcessed(copy._migration.Name, copy._mailboxRun.Key, count, bytes);
        }

        private static async Task DisposeAllAsync(List<MessageContent> contents)
        {
            foreach (var content in contents)
            {
                await content.DisposeAsync();
            }
        }
    }
}
