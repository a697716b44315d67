using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Mbox;

/// <summary>What the mbox sources share: an index of message positions per file, and serving bytes from it.</summary>
internal abstract class MboxSourceBase : IMailSource
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, MboxSpan>> _index = new(StringComparer.Ordinal);

    public abstract Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, CancellationToken cancellationToken);

    public async IAsyncEnumerable<MessageContent> FetchAsync(SourceFolder folder, IReadOnlyList<SourceMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var summary in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = FileOf(folder, summary);
            if (!_index.TryGetValue(file, out var spans) || !spans.ContainsKey(summary.SourceId))
            {
                // Fetch without a listing in this session (or the file changed): index the file again.
                await foreach (var entry in MboxScanner.ScanAsync(file, cancellationToken))
                {
                    Remember(file, entry);
                }

                spans = _index.GetOrAdd(file, _ => new(StringComparer.Ordinal));
            }

            if (!spans.TryGetValue(summary.SourceId, out var span))
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

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The mbox file holding the message.</summary>
    protected abstract string FileOf(SourceFolder folder, SourceMessage summary);

    protected void Remember(string file, MboxEntry entry) =>
        _index.GetOrAdd(file, _ => new(StringComparer.Ordinal))[entry.SourceId] = entry.Span;

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
}
