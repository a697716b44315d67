using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Mbox;

/// <summary>
/// What the mbox sources share: an index of message positions per file, and serving bytes from it. A listing scans the
/// file and publishes its index to the other instances open for the mailbox (<see cref="MboxIndexStore"/>), so any of
/// them serves a listed message from its byte range without a scan of its own: a large folder is copied in ranges on
/// several readers. Without a store (or when the file's size or time changed since that scan) a fetch scans the file.
/// </summary>
internal abstract class MboxSourceBase(MboxIndexStore? store, string mailbox) : IMailSource, IRangeFetchSource
{
    // This instance's index of each file: the one its own scan built, or the newer one another instance of the mailbox
    // published while the file still has the size and time it had when that scan began.
    private readonly ConcurrentDictionary<string, MboxFileIndex> _index = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MboxFileIndex>? _shared = store?.Acquire(mailbox);
    private readonly MboxIndexStore? _store = store;
    private int _disposed;

    /// <summary>The mailbox's folder of mbox files, or its Takeout file.</summary>
    protected string MailboxPath { get; } = mailbox;

    public abstract Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, CancellationToken cancellationToken);

    public async IAsyncEnumerable<MessageContent> FetchAsync(SourceFolder folder, IReadOnlyList<SourceMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? indexed = null;
        MboxFileIndex? index = null;
        foreach (var summary in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = FileOf(folder, summary);
            if (file != indexed)
            {
                index = IndexOf(file);
                indexed = file;
            }

            if (index is null || !index.Spans.ContainsKey(summary.SourceId))
            {
                // Fetch without a listing in this mailbox's instances (or the file changed): index the file again.
                await foreach (var _ in ScanAsync(file, cancellationToken))
                {
                }

                index = _index[file];
            }

            if (!index.Spans.TryGetValue(summary.SourceId, out var span))
            {
                throw new MigrationException(Diagnose.MessageVanished(SourceLocation.None(file), "at byte " + summary.SourceId, file))
                {
                    Transient = true,
                };
            }

            Stream content = new FileWindowStream(file, span.ContentOffset, span.StoredLength);
            if (span.QuotedLines > 0)
            {
                content = new MboxrdUnescapeStream(content);
            }

            yield return new MessageContent(summary, content, span.Size);
        }
    }

    public virtual ValueTask DisposeAsync()
    {
        if (_store is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _store.Release(MailboxPath);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The mbox file holding the message.</summary>
    protected abstract string FileOf(SourceFolder folder, SourceMessage summary);

    /// <summary>
    /// Scans the file into a new index, published before the first message so that a range's reader finds every message
    /// listed so far (a folder may post ranges before its listing ends).
    /// </summary>
    protected async IAsyncEnumerable<MboxEntry> ScanAsync(string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = new MboxFileIndex(MboxStamp.Of(file));
        _index[file] = index;
        if (_shared is not null)
        {
            _shared[file] = index;
        }

        await foreach (var entry in MboxScanner.ScanAsync(file, cancellationToken))
        {
            index.Spans[entry.SourceId] = entry.Span;
            yield return entry;
        }
    }

    protected static SourceMessage Summarize(string file, MboxEntry entry, MailFlags flags) => new()
    {
        SourceId = entry.SourceId,
        Size = entry.Size,
        Flags = flags,
        InternalDate = entry.EnvelopeDate ?? entry.Headers.ParsedDate,
        MessageId = DedupKeys.NormalizeMessageId(entry.Headers.MessageId),
        DedupKey = entry.Headers.DedupKey,
        Warning = entry.Problem is null
            ? null
            : Diagnose.MalformedMessage(SourceLocation.None(file), file, "byte " + entry.SourceId, entry.Problem).Message,
    };

    /// <summary>The newest index of the file in the mailbox's instances while the file is as it was scanned, else this instance's.</summary>
    private MboxFileIndex? IndexOf(string file)
    {
        _index.TryGetValue(file, out var own);
        if (_shared is not null && _shared.TryGetValue(file, out var latest) && !ReferenceEquals(latest, own)
            && latest.Stamp is { } stamp && MboxStamp.Of(file) == stamp)
        {
            _index[file] = latest;
            return latest;
        }

        return own;
    }
}
