using System.Globalization;
using System.Runtime.CompilerServices;

namespace MigrationEngine.Core.Execution.Gmail;

/// <summary>
/// Gmail's IMAP view as its users know it: the source's folders become the folders <see cref="GmailPlacement"/> puts mail
/// in. Label folders list their messages, each marked either as a copy to make here or as placed in another folder; All Mail
/// lists the archived messages (those no placing label holds) as the archive folder (special use \Archive, or where
/// <c>folders.map</c> sends <c>[Gmail]/All Mail</c>); Starred and Important are flags, not folders; Spam and Trash are copied
/// as they are. Every worker of a mailbox wraps its own connection; they share one model per mailbox (built when the first
/// folder is listed, again when a later pass lists a folder a second time).
/// </summary>
public sealed class GmailSource : IMailSource, IFlagChangeSource
{
    private static readonly ConditionalWeakTable<MailboxContext, GmailMailbox> Mailboxes = new();

    private readonly IMailSource _inner;
    private readonly GmailMailbox _mailbox;

    private GmailSource(IMailSource inner, GmailMailbox mailbox)
    {
        _inner = inner;
        _mailbox = mailbox;
        mailbox.Attach();
    }

    /// <summary>Wraps one connection of a Gmail mailbox; all wrappers made with the same context share the model.</summary>
    public static IMailSource Wrap(IMailSource inner, MailboxContext context) =>
        new GmailSource(inner, Mailboxes.GetValue(context, c => new GmailMailbox(new GmailPlacement(
            c.Migration.LabelCopies, c.Migration.Gmail, new FolderRulesMatcher(c.Migration.Folders).IsIncluded))));

    /// <summary>The connection this view wraps: inventory lists Gmail's real folders (labels, All Mail) through it.</summary>
    public IMailSource Inner => _inner;

    public async Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken)
    {
        var real = await _inner.ListFoldersAsync(cancellationToken);
        return _mailbox.UseFolders(real, _inner is IGmailLabelSource { HasGmailLabels: true });
    }

    public async IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var shape = _mailbox.ShapeOf(folder.Path);
        if (shape is null)
        {
            await foreach (var summary in _inner.ListMessagesAsync(folder, afterSourceId, cancellationToken))
            {
                yield return summary;
            }

            yield break;
        }

        var after = afterSourceId is null ? -1 : long.Parse(afterSourceId, NumberStyles.None, CultureInfo.InvariantCulture);
        var model = await _mailbox.ModelForListingAsync(folder.Path, _inner, cancellationToken);
        foreach (var (occurrence, message) in model.InFolder(folder.Path))
        {
            if (long.Parse(occurrence.Summary.SourceId, NumberStyles.None, CultureInfo.InvariantCulture) <= after)
            {
                continue;
            }

            var decision = _mailbox.Decide(message);
            if (decision.Copies.Contains(occurrence))
            {
                yield return decision.Apply(occurrence.Summary);
            }
            else if (!shape.Value.Archive && decision.Copies.Count > 0)
            {
                // Archive lists only the archived messages; a label folder names every message with the label.
                yield return occurrence.Summary with { PlacedIn = decision.PlacedIn };
            }
        }
    }

    /// <summary>
    /// The backing folder's bytes, in the given order. With a body cache (X-GM-LABELS, <c>labelCopies: each</c>) a message
    /// another label folder already fetched is read from the cache, and one with copies still to come is kept there.
    /// </summary>
    public async IAsyncEnumerable<MessageContent> FetchAsync(SourceFolder folder, IReadOnlyList<SourceMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var backing = _mailbox.BackingOf(folder);
        if (_mailbox.Bodies is not { } cache)
        {
            await foreach (var content in _inner.FetchAsync(backing, messages, cancellationToken))
            {
                yield return content;
            }

            yield break;
        }

        var kept = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var missing = new List<SourceMessage>();
        foreach (var message in messages)
        {
            if (cache.Take(message.SourceId) is { } bytes)
            {
                kept[message.SourceId] = bytes;
            }
            else
            {
                missing.Add(message);
            }
        }

        var model = await _mailbox.ModelAsync(_inner, cancellationToken);
        var fetched = new Dictionary<string, MessageContent>(StringComparer.Ordinal);
        try
        {
            await foreach (var content in _inner.FetchAsync(backing, missing, cancellationToken))
            {
                fetched[content.Summary.SourceId] = content;
            }

            foreach (var message in messages)
            {
                if (kept.Remove(message.SourceId, out var bytes))
                {
                    yield return new MessageContent(message, new MemoryStream(bytes, writable: false), bytes.Length);
                    continue;
                }

                if (!fetched.Remove(message.SourceId, out var content))
                {
                    // Expunged since it was listed: the inner source said so.
                    continue;
                }

                var uses = model.MessageAt(folder.Path, message.SourceId) is { } found ? _mailbox.Decide(found).Copies.Count - 1 : 0;
                if (uses <= 0 || content.Length > GmailBodyCache.MaxKeptBytes)
                {
                    yield return content;
                    continue;
                }

                await using (content)
                {
                    using var copy = new MemoryStream((int)content.Length);
                    await content.Content.CopyToAsync(copy, cancellationToken);
                    bytes = copy.ToArray();
                }

                cache.Keep(message.SourceId, bytes, uses);
                yield return new MessageContent(content.Summary, new MemoryStream(bytes, writable: false), bytes.Length);
            }
        }
        finally
        {
            foreach (var left in fetched.Values)
            {
                await left.DisposeAsync();
            }
        }
    }

    /// <summary>The connection's flag changes, with what the placement adds (Starred, labels as keywords) kept on.</summary>
    public async IAsyncEnumerable<FlagChange> ListFlagChangesAsync(SourceFolder folder, ulong sinceModSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_inner is not IFlagChangeSource changes)
        {
            throw new InvalidOperationException("the Gmail view wraps a source without CONDSTORE flag changes");
        }

        var backing = _mailbox.BackingOf(folder);
        var model = _mailbox.ShapeOf(folder.Path) is null ? null : await _mailbox.ModelAsync(_inner, cancellationToken);
        await foreach (var change in changes.ListFlagChangesAsync(backing, sinceModSeq, cancellationToken))
        {
            if (model?.MessageAt(folder.Path, change.SourceId) is { } message)
            {
                var decision = _mailbox.Decide(message);
                var applied = decision.Apply(new SourceMessage { SourceId = change.SourceId, DedupKey = string.Empty, Flags = change.Flags, Keywords = change.Keywords });
                yield return change with { Flags = applied.Flags, Keywords = applied.Keywords };
            }
            else
            {
                yield return change;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _mailbox.Detach();
        return _inner.DisposeAsync();
    }
}
