using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MimeKit;
using KitFlags = MailKit.MessageFlags;

namespace MigrationEngine.Adapters.Imap;

public sealed class ImapTargetFactory : IMailTargetFactory
{
    public IReadOnlyCollection<EndpointType> Types { get; } = [EndpointType.Imap];

    /// <summary>Tests: a protocol logger for each connection the targets of this factory open.</summary>
    internal Func<IProtocolLogger>? Trace { get; init; }

    private readonly CreatedEmptyFolders _createdEmpty = new();
    private readonly FlaggedOnAppend _flaggedOnAppend = new();

    public async Task<IMailTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        var session = await ImapSession.OpenAsync(context, cancellationToken, Trace);
        try
        {
            await ImapOwnerMarker.ClaimAsync(session, cancellationToken);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }

        return new ImapTarget(session, _createdEmpty, _flaggedOnAppend);
    }
}

/// <summary>
/// Writes one mailbox over IMAP: raw bytes unchanged (see <see cref="RawMessage"/>), with flags, keywords and internal date.
/// Small messages go in MULTIAPPEND batches when the server has it. A connection dropped during an APPEND is not retried
/// here (the server may or may not have stored the batch): it surfaces as a transient <see cref="MigrationException"/>,
/// and the executor re-checks the folder with <see cref="ListMessageKeysAsync"/> before appending again.
/// </summary>
internal sealed class ImapTarget(ImapSession session, CreatedEmptyFolders createdEmpty, FlaggedOnAppend flaggedOnAppend)
    : IMailTarget, IFlagSyncTarget, IFolderCountTarget, IFingerprintTarget, IFolderPreparingTarget
{
    /// <summary>Messages up to this size are buffered so that a refused MULTIAPPEND can be replayed one by one.</summary>
    private const long BufferedMessageLimit = 1024 * 1024;
    private const long MultiAppendBytes = 8L * 1024 * 1024;
    private const int MultiAppendMessages = 100;

    private static readonly KitFlags SettableSystemFlags = KitFlags.Seen | KitFlags.Answered | KitFlags.Flagged | KitFlags.Draft;

    private readonly RawMessagePool _messages = new();
    private List<IMailFolder>? _listed;
    private int _listedGeneration;

    private ImapSettings Settings => session.Settings;

    public long? MaxMessageSize => Settings.Preset.MaxMessageSize ?? session.CurrentClient?.AppendLimit;

    public Task<TargetFolder> EnsureFolderAsync(string path, SpecialUse specialUse, CancellationToken cancellationToken) =>
        session.ReadAsync("CREATE", async (client, ct) =>
        {
            if (specialUse == SpecialUse.Inbox || string.Equals(path, "INBOX", StringComparison.OrdinalIgnoreCase))
            {
                return new TargetFolder("INBOX", client.Inbox.FullName, SpecialUse.Inbox);
            }

            var existing = await ListedAsync(client, ct);
            var special = FindSpecial(client, existing, specialUse, Settings.Preset);
            if (special is not null)
            {
                return new TargetFolder(FolderPaths.ToPath(special), special.FullName, specialUse);
            }

            // A role without a folder yet gets the preset's name for it, which servers configured with special-use names mark.
            var wanted = Settings.Preset.SpecialFolderNames.TryGetValue(specialUse, out var presetName) ? presetName : path;
            var folder = await CreatePathAsync(client, existing, wanted, ct);
            return new TargetFolder(FolderPaths.ToPath(folder), folder.FullName, specialUse);
        }, cancellationToken);

    /// <summary>The target's folder for a role: by SPECIAL-USE when it has it, else by the preset's name (case-insensitive).</summary>
    private static IMailFolder? FindSpecial(ImapClient client, IReadOnlyList<IMailFolder> existing, SpecialUse use, ImapPreset preset)
    {
        if (FolderPaths.ToMailKit(use) is not { } kit)
        {
            return null;
        }

        if (client.Capabilities.HasFlag(ImapCapabilities.SpecialUse))
        {
            var byAttribute = existing.FirstOrDefault(f => (f.Attributes & AttributeOf(kit)) != 0) ?? client.GetFolder(kit);
            if (byAttribute is not null)
            {
                return byAttribute;
            }
        }

        if (preset.SpecialFolderNames.TryGetValue(use, out var name))
        {
            return existing.FirstOrDefault(f => string.Equals(FolderPaths.ToPath(f), name, StringComparison.OrdinalIgnoreCase));
        }

        return null;
    }

    private static FolderAttributes AttributeOf(SpecialFolder folder) => folder switch
    {
        SpecialFolder.All => FolderAttributes.All,
        SpecialFolder.Archive => FolderAttributes.Archive,
        SpecialFolder.Drafts => FolderAttributes.Drafts,
        SpecialFolder.Flagged => FolderAttributes.Flagged,
        SpecialFolder.Important => FolderAttributes.Important,
        SpecialFolder.Junk => FolderAttributes.Junk,
        SpecialFolder.Sent => FolderAttributes.Sent,
        SpecialFolder.Trash => FolderAttributes.Trash,
        _ => FolderAttributes.None,
    };

    /// <summary>
    /// The target's folders, listed once per connection for all the folders a mailbox ensures; a folder this connection
    /// creates is added to the listing, so creating ten folders costs ten CREATEs (and SUBSCRIBEs), not ten more LISTs.
    /// </summary>
    private async Task<IReadOnlyList<IMailFolder>> ListedAsync(ImapClient client, CancellationToken ct)
    {
        if (_listed is null || _listedGeneration != session.ConnectionGeneration)
        {
            _listed = [.. await ImapSession.ListFoldersAsync(client, StatusItems.None, ct)];
            _listedGeneration = session.ConnectionGeneration;
        }

        return _listed;
    }

    /// <summary>
    /// Creates missing levels; a level that exists with another case is reused, never duplicated. A missing parent is not
    /// created as a folder of its own: "CREATE a/b" lets the server keep "a" a hierarchy name only, as in the source (a
    /// parent that is a real folder in the source was created before, parents first).
    /// </summary>
    private async Task<IMailFolder> CreatePathAsync(ImapClient client, IReadOnlyList<IMailFolder> existing, string path, CancellationToken ct)
    {
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var delimiter = root.DirectorySeparator == '\0' ? '/' : root.DirectorySeparator;
        var levels = FolderPaths.ToLevels(path, delimiter).ToList();
        if (levels.Count > 0 && Settings.Preset.ReservedTopLevelNames.Contains(levels[0]))
        {
            levels[0] += " (migrated)";
        }

        IMailFolder parent = root;
        var fullName = string.Empty;
        for (var index = 0; index < levels.Count; index++)
        {
            var level = levels[index];
            fullName = fullName.Length == 0 ? (root.FullName.Length == 0 ? level : root.FullName + delimiter + level) : fullName + delimiter + level;
            var name = fullName;
            var found = existing.FirstOrDefault(f => string.Equals(f.FullName, name, StringComparison.OrdinalIgnoreCase))
                ?? (string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : null);
            if (found is not null)
            {
                parent = found;
                fullName = found.FullName;
                continue;
            }

            if (index < levels.Count - 1 && client is SpoolingImapClient spooling && spooling.DetachedFolder(name, delimiter) is { } hierarchyOnly)
            {
                parent = hierarchyOnly;
                continue;
            }

            try
            {
                parent = await parent.CreateAsync(level, true, ct) ?? await client.GetFolderAsync(name, ct);
                createdEmpty.Created(Settings, parent.FullName);
            }
            catch (ImapCommandException ex) when (ex.ResponseText?.Contains("ALREADYEXISTS", StringComparison.OrdinalIgnoreCase) == true
                || ex.ResponseText?.Contains("already exists", StringComparison.OrdinalIgnoreCase) == true)
            {
                parent = await client.GetFolderAsync(name, ct);
            }

            catch (ImapCommandException ex)
            {
                throw new MigrationException(Diagnose.ImapFolderCreateFailed(Settings.MailboxLocation,
                    path, Settings.Address, Settings.Host, Settings.Port, ImapSession.Clean(ex.ResponseText ?? ex.Message)), ex);
            }

            // The listing holds it from now on (the next folder under it finds its parent without a LIST); a listing made
            // on an earlier connection is not this one's and is listed again anyway.
            if (ReferenceEquals(existing, _listed))
            {
                _listed.Add(parent);
            }

            try
            {
                await parent.SubscribeAsync(ct);
            }
            catch (ImapCommandException ex)
            {
                Settings.Logger.Warning("IMAP folder {Folder} of {Mailbox} was created but not subscribed: {Reason}", path, Settings.Address, ex.ResponseText);
            }
        }

        return parent;
    }

    /// <summary>
    /// Several folders in one LIST-STATUS where the server has it, else a STATUS (MESSAGES) each; a folder this process created
    /// and has not appended to is empty without asking (<see cref="CreatedEmptyFolders"/>).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> CountMessagesAsync(IReadOnlyList<TargetFolder> folders, CancellationToken cancellationToken)
    {
        var empty = folders.Where(f => createdEmpty.IsEmpty(Settings, f.NativeId)).ToList();
        var asked = empty.Count == folders.Count
            ? new Dictionary<string, int>(StringComparer.Ordinal)
            : new Dictionary<string, int>(await AskCountsAsync(folders.Except(empty).ToList(), cancellationToken), StringComparer.Ordinal);
        foreach (var folder in empty)
        {
            asked[folder.Path] = 0;
        }

        return asked;
    }

    private Task<IReadOnlyDictionary<string, int>> AskCountsAsync(IReadOnlyList<TargetFolder> folders, CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyDictionary<string, int>>("STATUS (MESSAGES)", async (client, ct) =>
        {
            var listed = new Dictionary<string, int>(StringComparer.Ordinal);
            if (folders.Count > 1 && client.Capabilities.HasFlag(ImapCapabilities.ListStatus))
            {
                foreach (var native in await ImapSession.ListFoldersAsync(client, StatusItems.Count, ct))
                {
                    if ((native.Attributes & (FolderAttributes.NoSelect | FolderAttributes.NonExistent)) == 0)
                    {
                        listed[native.FullName] = native.Count;
                    }
                }
            }

            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var folder in folders)
            {
                if (!listed.TryGetValue(folder.NativeId, out var count))
                {
                    var native = await FindAsync(client, folder, ct);
                    if (native.IsOpen)
                    {
                        await client.NoOpAsync(ct);
                    }
                    else
                    {
                        await native.StatusAsync(StatusItems.Count, ct);
                    }

                    count = native.Count;
                }

                counts[folder.Path] = count;
            }

            return counts;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ListMessageKeysAsync(TargetFolder folder, CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<string>>("FETCH HEADER.FIELDS", async (client, ct) =>
        {
            var native = await OpenCurrentAsync(client, folder, ct);
            if (native.Count == 0)
            {
                return [];
            }

            var request = new FetchRequest(MessageSummaryItems.UniqueId) { Headers = new HeaderSet(HeaderSetNames.Names) };
            var summaries = await native.FetchAsync(0, -1, request, ct);
            return summaries.Select(s => ImapSource.KeyOf(s.Headers)).ToList();
        }, cancellationToken);

    /// <summary>The keys with RFC822.SIZE and INTERNALDATE in the same FETCH (APPEND set the date the source gave the message).</summary>
    public Task<IReadOnlyList<TargetMessage>> ListMessageFingerprintsAsync(TargetFolder folder, CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<TargetMessage>>("FETCH HEADER.FIELDS", async (client, ct) =>
        {
            var native = await OpenCurrentAsync(client, folder, ct);
            if (native.Count == 0)
            {
                return [];
            }

            var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.InternalDate) { Headers = new HeaderSet(HeaderSetNames.Names) };
            var summaries = await native.FetchAsync(0, -1, request, ct);
            return summaries.Select(s => new TargetMessage(ImapSource.KeyOf(s.Headers), s.Size, s.InternalDate)).ToList();
        }, cancellationToken);

    public async Task<IReadOnlyList<AppendResult>> AppendAsync(TargetFolder folder, IReadOnlyList<MessageContent> messages, CancellationToken cancellationToken)
    {
        var results = new AppendResult[messages.Count];
        var flaggedUids = new List<UniqueId>();
        var index = 0;
        while (index < messages.Count)
        {
            var batch = new List<int>();
            long bytes = 0;
            while (index + batch.Count < messages.Count)
            {
                var length = messages[index + batch.Count].Length;
                var small = length <= BufferedMessageLimit;
                if (batch.Count > 0 && (!small || bytes + length > MultiAppendBytes || batch.Count >= MultiAppendMessages))
                {
                    break;
                }

                batch.Add(index + batch.Count);
                bytes += length;
                if (!small)
                {
                    break;
                }
            }

            await AppendBatchAsync(folder, messages, batch, results, flaggedUids, cancellationToken);
            index += batch.Count;
        }

        // Checked until one batch shows the server keeps \Flagged on APPEND; from then on trusted for every connection to it.
        if (flaggedUids.Count > 0 && !flaggedOnAppend.IsKept(Settings) && await RestoreFlaggedAsync(folder, flaggedUids, cancellationToken) == 0)
        {
            flaggedOnAppend.Kept(Settings);
        }

        return results;
    }

    private async Task AppendBatchAsync(TargetFolder folder, IReadOnlyList<MessageContent> messages, List<int> batch, AppendResult[] results,
        List<UniqueId> flaggedUids, CancellationToken cancellationToken)
    {
        // Small messages are read into memory first: a refused MULTIAPPEND is then replayed one by one to find the bad item.
        var entities = new List<MimeMessage>(batch.Count);
        try
        {
            foreach (var i in batch)
            {
                var content = messages[i];
                if (content.Content is IInMemoryContent memory)
                {
                    entities.Add(_messages.Rent(memory.Bytes));
                }
                else if (batch.Count > 1)
                {
                    var buffer = new byte[content.Length];
                    await content.Content.ReadExactlyAsync(buffer, cancellationToken);
                    entities.Add(_messages.Rent(buffer));
                }
                else
                {
                    entities.Add(_messages.Rent(content.Content, content.Length));
                }
            }

            await session.WriteAsync("APPEND", async (client, ct) =>
            {
                // APPEND needs no SELECT: the folder is opened only to read which keywords it keeps (PERMANENTFLAGS).
                createdEmpty.Written(Settings, folder.NativeId);
                var native = batch.Any(i => messages[i].Summary.Keywords.Count > 0)
                    ? await OpenAsync(client, folder, FolderAccess.ReadWrite, ct)
                    : await FindAsync(client, folder, ct);
                IList<IAppendRequest> requests = batch.Select((i, n) => (IAppendRequest)Request(native, messages[i].Summary, entities[n])).ToList();
                if (requests.Count > 1 && client.Capabilities.HasFlag(ImapCapabilities.MultiAppend))
                {
                    try
                    {
                        var uids = await native.AppendAsync(requests, ct);
                        for (var n = 0; n < batch.Count; n++)
                        {
                            var uid = n < uids.Count ? uids[n] : (UniqueId?)null;
                            Record(batch[n], messages[batch[n]], uid, results, flaggedUids);
                        }

                        return true;
                    }
                    catch (ImapCommandException ex) when (ex.Response == ImapCommandResponse.No && !ImapSession.IsThrottling(ex.ResponseText))
                    {
                        Settings.Logger.Warning("IMAP MULTIAPPEND of {Count} messages to {Folder} ({Mailbox}) refused ({Reason}); appending them one by one",
                            requests.Count, folder.Path, Settings.Address, ex.ResponseText);
                    }
                }

                for (var n = 0; n < batch.Count; n++)
                {
                    try
                    {
                        var uid = await native.AppendAsync(requests[n], ct);
                        Record(batch[n], messages[batch[n]], uid, results, flaggedUids);
                    }
                    catch (ImapCommandException ex) when (ex.Response == ImapCommandResponse.No && !ImapSession.IsThrottling(ex.ResponseText))
                    {
                        results[batch[n]] = AppendResult.Reject(ImapSession.Clean(ex.ResponseText is { Length: > 0 } text ? text : ex.Message));
                    }
                }

                return true;
            }, cancellationToken);
        }
        finally
        {
            foreach (var entity in entities)
            {
                _messages.Return(entity);
            }
        }
    }

    private static void Record(int index, MessageContent content, UniqueId? uid, AppendResult[] results, List<UniqueId> flaggedUids)
    {
        results[index] = AppendResult.Ok(uid?.Id.ToString(CultureInfo.InvariantCulture));
        if (uid is { } known && content.Summary.Flags.HasFlag(MailFlags.Flagged))
        {
            flaggedUids.Add(known);
        }
    }

    private AppendRequest Request(IMailFolder folder, SourceMessage summary, MimeMessage entity)
    {
        // \Deleted is not carried over: the copy would vanish at the target's next EXPUNGE.
        var flags = ToKitFlags(summary.Flags);

        var request = new AppendRequest(entity, flags) { Keywords = new HashSet<string>(StringComparer.Ordinal) };
        if (summary.InternalDate is { } date)
        {
            request.InternalDate = date;
        }

        foreach (var keyword in summary.Keywords)
        {
            if (folder.PermanentFlags.HasFlag(KitFlags.UserDefined) || folder.PermanentKeywords.Contains(keyword))
            {
                request.Keywords.Add(keyword);
            }
            else
            {
                Settings.Logger.Warning("{Diagnostic}", Diagnose.ImapKeywordDropped(Settings.MailboxLocation, folder.FullName, Settings.Address, keyword).ToMsBuildString());
            }
        }

        return request;
    }

    /// <summary>Delta passes with syncFlags: reads the copies' flags and replaces those that differ from the source's (one STORE each).</summary>
    public Task<int> SyncFlagsAsync(TargetFolder folder, IReadOnlyList<FlagUpdate> updates, CancellationToken cancellationToken) =>
        session.WriteAsync("STORE FLAGS", async (client, ct) =>
        {
            var wanted = new Dictionary<UniqueId, FlagUpdate>();
            foreach (var update in updates)
            {
                if (uint.TryParse(update.TargetId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
                {
                    wanted[new UniqueId(id)] = update;
                }
            }

            if (wanted.Count == 0)
            {
                return 0;
            }

            var native = await OpenAsync(client, folder, FolderAccess.ReadWrite, ct);
            var current = await native.FetchAsync(wanted.Keys.ToList(), MessageSummaryItems.UniqueId | MessageSummaryItems.Flags, ct);
            var changed = 0;
            foreach (var summary in current)
            {
                var update = wanted[summary.UniqueId];
                var flags = ToKitFlags(update.Flags);
                var keywords = update.Keywords
                    .Where(k => native.PermanentFlags.HasFlag(KitFlags.UserDefined) || native.PermanentKeywords.Contains(k))
                    .ToHashSet(StringComparer.Ordinal);
                var haveFlags = (summary.Flags ?? KitFlags.None) & SettableSystemFlags;
                var haveKeywords = summary.Keywords ?? new HashSet<string>(StringComparer.Ordinal);
                if (haveFlags == flags && haveKeywords.SetEquals(keywords))
                {
                    continue;
                }

                var request = new StoreFlagsRequest(StoreAction.Set, flags) { Silent = true };
                foreach (var keyword in keywords)
                {
                    request.Keywords.Add(keyword);
                }

                await native.StoreAsync(summary.UniqueId, request, ct);
                changed++;
            }

            return changed;
        }, cancellationToken);

    private static KitFlags ToKitFlags(MailFlags flags)
    {
        var kit = KitFlags.None;
        if (flags.HasFlag(MailFlags.Seen)) kit |= KitFlags.Seen;
        if (flags.HasFlag(MailFlags.Answered)) kit |= KitFlags.Answered;
        if (flags.HasFlag(MailFlags.Flagged)) kit |= KitFlags.Flagged;
        if (flags.HasFlag(MailFlags.Draft)) kit |= KitFlags.Draft;
        return kit & SettableSystemFlags;
    }

    /// <summary>Some servers drop \Flagged on APPEND; check the new copies and set it again where it is missing.</summary>
    private Task<int> RestoreFlaggedAsync(TargetFolder folder, List<UniqueId> uids, CancellationToken cancellationToken) =>
        session.WriteAsync("STORE +FLAGS (\\Flagged)", async (client, ct) =>
        {
            var native = await OpenAsync(client, folder, FolderAccess.ReadWrite, ct);
            var summaries = await native.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags, ct);
            var missing = summaries.Where(s => s.Flags is { } f && !f.HasFlag(KitFlags.Flagged)).Select(s => s.UniqueId).ToList();
            if (missing.Count > 0)
            {
                await native.AddFlagsAsync(missing, KitFlags.Flagged, silent: true, ct);
            }

            return missing.Count;
        }, cancellationToken);

    /// <summary>
    /// Finds the folder and opens it read-write, as the first APPEND with keywords would (to read PERMANENTFLAGS), while the
    /// source lists it. Opened even when no message turns out to carry a keyword: most mailboxes have some ($Forwarded,
    /// $Junk, Apple's flag colours), and done beside the source's listing it costs no time.
    /// </summary>
    public Task PrepareFolderAsync(TargetFolder folder, CancellationToken cancellationToken) =>
        session.ReadAsync("SELECT", async (client, ct) => await OpenAsync(client, folder, FolderAccess.ReadWrite, ct), cancellationToken);

    private static Task<IMailFolder> FindAsync(ImapClient client, TargetFolder folder, CancellationToken ct) =>
        ImapSession.GetFolderAsync(client, folder.NativeId, folder.SpecialUse == SpecialUse.Inbox, ct);

    /// <summary>
    /// The folder as it is now, for a read of all its messages: a folder this connection holds open has its view of it from
    /// when it last asked, and the other connections of a split copy append to it too; a NOOP brings the view up to date.
    /// </summary>
    private async Task<IMailFolder> OpenCurrentAsync(ImapClient client, TargetFolder folder, CancellationToken ct)
    {
        var native = await FindAsync(client, folder, ct);
        if (native.IsOpen)
        {
            await client.NoOpAsync(ct);
            return native;
        }

        return await OpenAsync(client, folder, FolderAccess.ReadOnly, ct);
    }

    private async Task<IMailFolder> OpenAsync(ImapClient client, TargetFolder folder, FolderAccess access, CancellationToken ct)
    {
        var native = await FindAsync(client, folder, ct);
        if (!native.IsOpen || (access == FolderAccess.ReadWrite && native.Access != FolderAccess.ReadWrite))
        {
            await native.OpenAsync(access, ct);
        }

        return native;
    }

    public ValueTask DisposeAsync()
    {
        _messages.Dispose();
        return session.DisposeAsync();
    }
}
