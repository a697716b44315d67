using System.Globalization;
using System.Runtime.CompilerServices;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Execution.Gmail;
using MigrationEngine.Core.State;
using KitFlags = MailKit.MessageFlags;

namespace MigrationEngine.Adapters.Imap;

public sealed class ImapSourceFactory : IMailSourceFactory
{
    public IReadOnlyCollection<EndpointType> Types { get; } = [EndpointType.Imap];

    /// <summary>Tests: a protocol logger for each connection the sources of this factory open.</summary>
    internal Func<IProtocolLogger>? Trace { get; init; }

    public async Task<IMailSource> OpenAsync(MailboxContext context, CancellationToken cancellationToken) =>
        Shape(new ImapSource(await ImapSession.OpenAsync(context, cancellationToken, Trace)), context);

    /// <summary>
    /// A Gmail source (preset gmail, or a server announcing Gmail's extensions X-GM-EXT-1) is read as one message with many
    /// labels: see <see cref="GmailSource"/>.
    /// </summary>
    internal static IMailSource Shape(ImapSource source, MailboxContext context) =>
        ReferenceEquals(source.Settings.Preset, ImapPreset.Gmail) || source.HasGmailLabels ? GmailSource.Wrap(source, context) : source;
}

/// <summary>
/// Reads one mailbox over IMAP. Listing and fetching are reads: when the connection drops they reconnect and carry on
/// from the first message not yet delivered, so the caller sees nothing of it.
/// </summary>
internal sealed class ImapSource(ImapSession session) : IMailSource, IFlagChangeSource, IContentKeySource, IGmailLabelSource, IRangeFetchSource
{
    private const int SummaryChunk = 500;

    /// <summary>Folders counted at up to this many messages are listed with one FETCH, without a SEARCH first.</summary>
    private const int SingleFetchLimit = 5000;
    private const int FetchChunkMessages = 100;
    private const long FetchChunkBytes = 16L * 1024 * 1024;

    internal ImapSettings Settings => session.Settings;

    public Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<SourceFolder>>("LIST", async (client, ct) =>
        {
            var folders = new List<SourceFolder>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var condStore = client.Capabilities.HasFlag(ImapCapabilities.CondStore);
            var items = StatusItems.UidValidity | StatusItems.Count | StatusItems.UidNext | (condStore ? StatusItems.HighestModSeq : StatusItems.None);
            var candidates = new List<IMailFolder> { client.Inbox };
            candidates.AddRange(await ImapSession.ListFoldersAsync(client, items, ct));

            foreach (var folder in candidates)
            {
                if ((folder.Attributes & (FolderAttributes.NoSelect | FolderAttributes.NonExistent)) != 0 || !seen.Add(folder.FullName))
                {
                    continue;
                }

                var use = FolderPaths.SpecialUseOf(folder, Settings.Preset);
                if (folder.UidNext is null || folder.UidValidity == 0)
                {
                    // INBOX is listed apart from the LIST-STATUS answer, and servers without LIST-STATUS answer nothing there.
                    await folder.StatusAsync(items, ct);
                }

                folders.Add(new SourceFolder(FolderPaths.ToPath(folder), use)
                {
                    NativeName = folder.FullName,
                    UidValidity = folder.UidValidity,
                    MessageCount = folder.Count,
                    Cursor = new FolderCursor(folder.UidValidity, folder.UidNext?.Id ?? 0, condStore ? folder.HighestModSeq : null),
                });
            }

            return folders;
        }, cancellationToken);

    public IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, CancellationToken cancellationToken) =>
        ListAsync(folder, afterSourceId, withKeys: true, cancellationToken);

    /// <summary>UID FETCH (FLAGS INTERNALDATE RFC822.SIZE) only: the server opens no message; <see cref="FetchAsync"/> finds the keys.</summary>
    public IAsyncEnumerable<SourceMessage> ListMessagesWithoutKeysAsync(SourceFolder folder, string? afterSourceId, CancellationToken cancellationToken) =>
        ListAsync(folder, afterSourceId, withKeys: false, cancellationToken);

    /// <summary>True when the server announced Gmail's IMAP extensions (X-GM-EXT-1).</summary>
    public bool HasGmailLabels => session.CurrentClient?.Capabilities.HasFlag(ImapCapabilities.GMailExt1) == true;

    /// <summary>
    /// All Mail with each message's labels in the listing's own FETCH (X-GM-LABELS, one of Gmail's IMAP extensions:
    /// https://developers.google.com/workspace/gmail/imap/imap-extensions), so that one listing gives the whole model.
    /// </summary>
    public async IAsyncEnumerable<(SourceMessage Summary, IReadOnlyList<string> Labels)> ListWithLabelsAsync(SourceFolder allMail, string? afterSourceId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var summary in ListNativeAsync(allMail, afterSourceId, withKeys: true, MessageSummaryItems.GMailLabels, cancellationToken))
        {
            yield return (ToSummary(summary, withKeys: true), summary.GMailLabels?.ToList() ?? []);
        }
    }

    private async IAsyncEnumerable<SourceMessage> ListAsync(SourceFolder folder, string? afterSourceId, bool withKeys,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var summary in ListNativeAsync(folder, afterSourceId, withKeys, MessageSummaryItems.None, cancellationToken))
        {
            yield return ToSummary(summary, withKeys);
        }
    }

    /// <summary>
    /// UID FETCH of flags, date, size (and key headers, and <paramref name="extra"/>) past <paramref name="afterSourceId"/>:
    /// for a folder the listing counted at 1 to <see cref="SingleFetchLimit"/> messages one <c>UID FETCH n:*</c>, else a
    /// UID SEARCH and then the found UIDs in chunks, so that a large folder's summaries are never all held at once.
    /// </summary>
    private async IAsyncEnumerable<IMessageSummary> ListNativeAsync(SourceFolder folder, string? afterSourceId, bool withKeys, MessageSummaryItems extra,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        uint after = afterSourceId is null ? 0 : uint.Parse(afterSourceId, CultureInfo.InvariantCulture);
        FetchRequest Request()
        {
            var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size | extra);
            if (withKeys)
            {
                request.Headers = new HeaderSet(HeaderSetNames.Names);
            }

            return request;
        }

        // Not for Gmail's All Mail listing with labels, whose FETCH also carries X-GM-LABELS (the recorded Gmail sessions).
        if (folder.MessageCount is > 0 and <= SingleFetchLimit && extra == MessageSummaryItems.None)
        {
            // One round trip instead of a SEARCH and a FETCH per chunk. Mail that arrives meanwhile is listed too (or by the
            // next pass), as with a SEARCH; the cursor was read before the listing.
            var all = await session.ReadAsync("UID FETCH (FLAGS INTERNALDATE RFC822.SIZE)", async (client, ct) =>
            {
                var native = await OpenAsync(client, folder, ct);
                return await native.FetchAsync(new UniqueIdRange(new UniqueId(after + 1), UniqueId.MaxValue), Request(), ct);
            }, cancellationToken);

            // "n:*" always matches the last message, even below n.
            foreach (var summary in all.Where(s => s.UniqueId.Id > after).OrderBy(s => s.UniqueId.Id))
            {
                yield return summary;
            }

            yield break;
        }

        var uids = await session.ReadAsync("UID SEARCH", async (client, ct) =>
        {
            var native = await OpenAsync(client, folder, ct);
            var query = after == 0 ? SearchQuery.All : SearchQuery.Uids(new UniqueIdRange(new UniqueId(after + 1), UniqueId.MaxValue));
            var found = await native.SearchAsync(query, ct);
            // "n:*" always matches the last message, even below n.
            return found.Where(uid => uid.Id > after).OrderBy(uid => uid.Id).ToList();
        }, cancellationToken);

        for (var start = 0; start < uids.Count; start += SummaryChunk)
        {
            var chunk = uids.GetRange(start, Math.Min(SummaryChunk, uids.Count - start));
            var summaries = await session.ReadAsync("UID FETCH (FLAGS INTERNALDATE RFC822.SIZE)", async (client, ct) =>
            {
                var native = await OpenAsync(client, folder, ct);
                return await native.FetchAsync(chunk, Request(), ct);
            }, cancellationToken);

            foreach (var summary in summaries.OrderBy(s => s.UniqueId.Id))
            {
                yield return summary;
            }
        }
    }

    /// <summary>UID FETCH 1:* (FLAGS) (CHANGEDSINCE n): the messages whose flags changed since the cursor, nothing else.</summary>
    public async IAsyncEnumerable<FlagChange> ListFlagChangesAsync(SourceFolder folder, ulong sinceModSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var changed = await session.ReadAsync("UID FETCH (FLAGS) (CHANGEDSINCE)", async (client, ct) =>
        {
            var native = await OpenAsync(client, folder, ct);
            var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags) { ChangedSince = sinceModSeq };
            return await native.FetchAsync(0, -1, request, ct);
        }, cancellationToken);

        foreach (var summary in changed.OrderBy(s => s.UniqueId.Id))
        {
            yield return new FlagChange(summary.UniqueId.Id.ToString(CultureInfo.InvariantCulture), ToCoreFlags(summary.Flags), SortedKeywords(summary));
        }
    }

    /// <summary>
    /// Fetches in chunks (one UID FETCH each, bounded in messages and bytes) and yields each chunk in the caller's order.
    /// The caller overlaps this with appending the previous batch; within a chunk MailKit streams every body straight
    /// into its spool, so no thread hand-off per message is needed here.
    /// </summary>
    public async IAsyncEnumerable<MessageContent> FetchAsync(SourceFolder folder, IReadOnlyList<SourceMessage> messages,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        while (index < messages.Count)
        {
            var count = 0;
            long bytes = 0;
            while (index + count < messages.Count && count < FetchChunkMessages && (count == 0 || bytes + messages[index + count].Size <= FetchChunkBytes))
            {
                bytes += messages[index + count].Size;
                count++;
            }

            var chunk = new List<SourceMessage>(count);
            for (var i = index; i < index + count; i++)
            {
                chunk.Add(messages[i]);
            }

            index += count;
            var bodies = await FetchChunkAsync(folder, chunk, cancellationToken);
            try
            {
                var keyed = chunk.Any(m => m.DedupKey == DedupKeys.FromContent) ? await KeysFromContentAsync(folder, bodies, cancellationToken) : null;
                foreach (var message in chunk)
                {
                    var uid = uint.Parse(message.SourceId, CultureInfo.InvariantCulture);
                    if (!bodies.Remove(uid, out var body))
                    {
                        // Expunged since it was listed: nothing to copy.
                        Settings.Logger.Warning("IMAP message UID {Uid} of {Folder} ({Mailbox}) disappeared before it was fetched", message.SourceId, folder.Path, Settings.Address);
                        continue;
                    }

                    body.Position = 0;
                    var summary = keyed is not null && keyed.TryGetValue(uid, out var headers) ? WithKeys(message, headers) : message;
                    yield return new MessageContent(summary, body, body.Length);
                }
            }
            finally
            {
                // Left over when the caller stopped reading early.
                foreach (var body in bodies.Values)
                {
                    await body.DisposeAsync();
                }
            }
        }
    }

    private async Task<Dictionary<uint, SpooledBody>> FetchChunkAsync(SourceFolder folder, List<SourceMessage> chunk, CancellationToken cancellationToken)
    {
        var bodies = new Dictionary<uint, SpooledBody>(chunk.Count);
        try
        {
            await session.ReadAsync("UID FETCH BODY.PEEK[]", async (client, ct) =>
            {
                var native = await OpenAsync(client, folder, ct);
                // After a reconnect only what was not delivered yet is fetched again.
                var remaining = chunk.Select(m => new UniqueId(uint.Parse(m.SourceId, CultureInfo.InvariantCulture))).Where(uid => !bodies.ContainsKey(uid.Id)).ToList();
                await ((ImapFolder)native).GetStreamsAsync(remaining, (_, _, uid, stream, _) =>
                {
                    // MailKit disposes the stream after this callback: the body keeps a reference of its own.
                    var body = (SpooledBody)stream;
                    if (bodies.TryAdd(uid.Id, body))
                    {
                        body.Retain();
                    }

                    return Task.CompletedTask;
                }, ct);
                return true;
            }, cancellationToken);
            return bodies;
        }
        catch
        {
            foreach (var body in bodies.Values)
            {
                await body.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// The key fields of each fetched body, read from its bytes; the few whose header section is not plainly formed are
    /// asked of the server with one header FETCH, so every key equals what a header FETCH gives.
    /// </summary>
    private async Task<Dictionary<uint, MimeKit.HeaderList>> KeysFromContentAsync(SourceFolder folder, Dictionary<uint, SpooledBody> bodies, CancellationToken cancellationToken)
    {
        var found = new Dictionary<uint, MimeKit.HeaderList>(bodies.Count);
        var unread = new List<UniqueId>();
        byte[]? prefix = null;
        foreach (var (uid, body) in bodies)
        {
            ReadOnlySpan<byte> head;
            if (body is IInMemoryContent memory)
            {
                head = memory.Bytes.Span;
            }
            else
            {
                prefix ??= new byte[HeaderFieldReader.MaxHeaderBytes];
                body.Position = 0;
                var filled = await body.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken);
                head = prefix.AsSpan(0, filled);
            }

            if (head.Length > HeaderFieldReader.MaxHeaderBytes)
            {
                head = head[..HeaderFieldReader.MaxHeaderBytes];
            }

            if (HeaderFieldReader.TryRead(head, out var headers))
            {
                found[uid] = headers;
            }
            else
            {
                unread.Add(new UniqueId(uid));
            }
        }

        if (unread.Count > 0)
        {
            var summaries = await session.ReadAsync("UID FETCH HEADER.FIELDS", async (client, ct) =>
            {
                var native = await OpenAsync(client, folder, ct);
                return await native.FetchAsync(unread, new FetchRequest(MessageSummaryItems.UniqueId) { Headers = new HeaderSet(HeaderSetNames.Names) }, ct);
            }, cancellationToken);
            foreach (var summary in summaries)
            {
                found[summary.UniqueId.Id] = summary.Headers ?? [];
            }

            foreach (var uid in unread.Where(uid => !found.ContainsKey(uid.Id)))
            {
                // Expunged between the two fetches: MimeKit's own reading of the bytes is the best key left.
                found[uid.Id] = ParseHeaders(bodies[uid.Id]);
            }
        }

        return found;
    }

    private static MimeKit.HeaderList ParseHeaders(SpooledBody body)
    {
        body.Position = 0;
        try
        {
            return MimeKit.HeaderList.Load(body);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static SourceMessage WithKeys(SourceMessage summary, MimeKit.HeaderList headers)
    {
        var messageId = DedupKeys.NormalizeMessageId(headers[MimeKit.HeaderId.MessageId]);
        return summary with { MessageId = messageId, DedupKey = KeyOf(messageId, headers) };
    }

    private static SourceMessage ToSummary(IMessageSummary summary, bool withKeys)
    {
        var listed = new SourceMessage
        {
            SourceId = summary.UniqueId.Id.ToString(CultureInfo.InvariantCulture),
            Size = summary.Size ?? 0,
            Flags = ToCoreFlags(summary.Flags),
            Keywords = SortedKeywords(summary),
            InternalDate = summary.InternalDate,
            DedupKey = DedupKeys.FromContent,
        };
        return withKeys ? WithKeys(listed, summary.Headers ?? []) : listed;
    }

    private static MailFlags ToCoreFlags(KitFlags? kitFlags)
    {
        var flags = MailFlags.None;
        var kit = kitFlags ?? KitFlags.None;
        if (kit.HasFlag(KitFlags.Seen)) flags |= MailFlags.Seen;
        if (kit.HasFlag(KitFlags.Answered)) flags |= MailFlags.Answered;
        if (kit.HasFlag(KitFlags.Flagged)) flags |= MailFlags.Flagged;
        if (kit.HasFlag(KitFlags.Deleted)) flags |= MailFlags.Deleted;
        if (kit.HasFlag(KitFlags.Draft)) flags |= MailFlags.Draft;
        return flags;
    }

    private static List<string> SortedKeywords(IMessageSummary summary) =>
        summary.Keywords?.OrderBy(k => k, StringComparer.Ordinal).ToList() ?? [];

    /// <summary>The dedup key from fetched header fields; values are MimeKit's unfolded, decoded header values.</summary>
    internal static string KeyOf(MimeKit.HeaderList? headers) => KeyOf(DedupKeys.NormalizeMessageId(headers?[MimeKit.HeaderId.MessageId]), headers);

    /// <summary>
    /// The key of a message whose normalized Message-ID is <paramref name="messageId"/>. Date, From and Subject count only
    /// when it has none, so only then are they decoded (RFC 2047 decoding of From and Subject was most of the cost of a key).
    /// </summary>
    private static string KeyOf(string? messageId, MimeKit.HeaderList? headers) =>
        messageId is not null
            ? DedupKeys.OfMessageId(messageId)
            : DedupKeys.Compute(null, headers?[MimeKit.HeaderId.Date], headers?[MimeKit.HeaderId.From], headers?[MimeKit.HeaderId.Subject]);

    private async Task<IMailFolder> OpenAsync(ImapClient client, SourceFolder folder, CancellationToken ct)
    {
        IMailFolder native;
        try
        {
            native = await ImapSession.GetFolderAsync(client, folder.NativeName ?? folder.Path, folder.SpecialUse == SpecialUse.Inbox, ct);
        }
        catch (FolderNotFoundException ex)
        {
            throw new MigrationException(Diagnose.ImapFolderMissing(Settings.MailboxLocation, folder.Path, Settings.Address, Settings.Host, Settings.Port), ex);
        }

        if (!native.IsOpen)
        {
            await native.OpenAsync(FolderAccess.ReadOnly, ct);
        }

        return native;
    }

    public ValueTask DisposeAsync() => session.DisposeAsync();
}

/// <summary>The header fields the dedup key needs, fetched with BODY.PEEK[HEADER.FIELDS (...)].</summary>
internal sealed class HeaderSetNames
{
    public static readonly string[] Names = ["MESSAGE-ID", "DATE", "FROM", "SUBJECT"];
}
