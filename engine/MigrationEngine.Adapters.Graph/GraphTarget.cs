using System.Collections.Concurrent;
using System.Text;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.Messages.Item.Attachments.CreateUploadSession;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Validation;
using GraphMailFolder = Microsoft.Graph.Models.MailFolder;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// One Exchange Online mailbox reached through Graph. mime mode imports the original bytes with the beta
/// importMime action (non-draft, dates kept) and sets flags afterwards in $batch requests; json mode and messages
/// too large for one importMime request are created as non-draft messages with attachments posted or uploaded.
/// </summary>
internal sealed class GraphTarget : IMailTarget, IFolderCountTarget
{
    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new()
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    private readonly GraphConnection _connection;
    private readonly MailboxContext _context;
    private readonly string _userId;
    private readonly bool _jsonMode;
    private readonly bool _uploadSessions;
    private readonly ConcurrentDictionary<string, string> _folderIds = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _folderGate = new(1, 1);
    private readonly HashSet<string> _listedParents = new(StringComparer.Ordinal);
    private readonly GraphFolderCounts _counts;

    private GraphTarget(GraphConnection connection, MailboxContext context, string userId)
    {
        _connection = connection;
        _context = context;
        _userId = userId;
        // importMime exists only in the global service; elsewhere every message goes in json mode (validation warns, MIG0251).
        _jsonMode = context.Endpoint.ImportMode == Core.Model.ImportMode.Json
            || !GraphCloudFeatures.HasImportMime(context.Endpoint.Cloud);
        _uploadSessions = GraphCloudFeatures.HasUploadSessions(context.Endpoint.Cloud);
        _counts = new GraphFolderCounts(connection, userId);
    }

    public long? MaxMessageSize => _connection.Options.MaxMessageSize;

    private string Address => _context.Address;

    private GraphTargetOptions Options => _connection.Options;

    private Microsoft.Graph.Users.Item.UserItemRequestBuilder User => _connection.Client.Users[_userId];

    /// <summary>Proves the mailbox exists (GET user, then GET its inbox or, under apply, its root folder with the owner marker), provisioning it first when the plan asks; claims it for the run.</summary>
    public static async Task<GraphTarget> OpenAsync(GraphConnection connection, MailboxContext context, CancellationToken cancellationToken)
    {
        var address = context.Address;
        var location = context.Mailbox.Location;
        // Within one apply (one owner writer) a mailbox proven and claimed once need not be asked again.
        var openedKey = context.TargetOwner is { } runOwner ? address + "\n" + runOwner.Writer : null;
        if (openedKey is not null && connection.OpenedMailboxes.TryGetValue(openedKey, out var openedId))
        {
            return new GraphTarget(connection, context, openedId);
        }

        var user = await GraphProvisioner.GetUserAsync(connection, address, location, cancellationToken);
        if (user is null)
        {
            if (context.Endpoint.Provision is { CreateUsers: true } provision)
            {
                var provisioner = new GraphProvisioner(connection, context.Plan);
                user = await provisioner.CreateUserAsync(context.Mailbox, provision, context.Logger, cancellationToken);
                await provisioner.WaitForMailboxAsync(user.Id!, address, location, cancellationToken);
            }
            else
            {
                throw new MigrationException(Diagnose.GraphMailboxMissing(location, address, connection.TenantId,
                    hint: "create the user, or set provision.createUsers: true on the target"));
            }
        }

        var target = new GraphTarget(connection, context, user.Id!);
        MarkerRead? marker = null;
        try
        {
            if (context.TargetOwner is null)
            {
                var inbox = await target.User.MailFolders["inbox"].GetAsync(r => r.QueryParameters.Select = ["id"], cancellationToken);
                target._folderIds["wk:inbox"] = inbox!.Id!;
            }
            else
            {
                // The owner marker's read proves the mailbox as well: one request instead of two.
                marker = await GraphOwnerMarker.ReadAsync(connection, context, user.Id!, cancellationToken);
            }
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404 && context.Endpoint.Provision is { Licenses.Count: > 0 } provision)
        {
            // A user without a mailbox whose licences the plan names (a licence that failed last time, a user created
            // elsewhere): assign them now and wait for the mailbox, so every apply tries again instead of failing for good.
            context.Logger.Information("{Code}: user {User} has no mailbox yet ({Reason}); assigning {Licences}", DiagnosticCatalog.GraphLicensingExistingUser.Code,
                address, GraphErrors.MailboxNotEnabled(error) ?? GraphErrors.Describe(error), string.Join(", ", provision.Licenses));
            var provisioner = new GraphProvisioner(connection, context.Plan);
            await provisioner.LicenseExistingAsync(context.Mailbox, provision, cancellationToken, user.Id);
            await provisioner.WaitForMailboxAsync(user.Id!, address, location, cancellationToken);
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            // The user exists (found above): a 404 on its inbox means it has no mailbox (MailboxNotEnabledForRESTAPI).
            // The failure is not transient within this run; the mailbox's step is recorded failed and the next apply
            // tries it again (a licence may have been assigned meanwhile).
            throw new MigrationException(Diagnose.GraphMailboxNotEnabled(location, address, connection.TenantId,
                GraphErrors.MailboxNotEnabled(error) ?? GraphErrors.Describe(error), hint: GraphErrors.LicenceHint));
        }
        catch (Exception ex) when (ex is not MigrationException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw GraphErrors.ToMigrationException(connection, ex, "read the mail folders", address, "Mail.ReadWrite", location);
        }

        await GraphOwnerMarker.ClaimAsync(connection, context, user.Id!, marker, cancellationToken);
        if (openedKey is not null)
        {
            connection.OpenedMailboxes[openedKey] = user.Id!;
        }

        return target;
    }

    public async Task<TargetFolder> EnsureFolderAsync(string path, SpecialUse specialUse, CancellationToken cancellationToken)
    {
        try
        {
            var wellKnown = WellKnownFolder(specialUse);
            if (wellKnown is not null)
            {
                return new TargetFolder(path, await WellKnownIdAsync(wellKnown, cancellationToken), specialUse);
            }

            var levels = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Replace('\u2215', '/')).ToList();
            if (levels.Count == 0)
            {
                return new TargetFolder(path, await WellKnownIdAsync("inbox", cancellationToken), SpecialUse.Inbox);
            }

            var first = WellKnownByName(levels[0]);
            var parentId = await WellKnownIdAsync(first ?? "msgfolderroot", cancellationToken);
            var start = first is null ? 0 : 1;
            for (var i = start; i < levels.Count; i++)
            {
                parentId = await ChildFolderIdAsync(parentId, levels[i], cancellationToken);
            }

            var use = start == 1 && levels.Count == 1 ? SpecialUseOf(first!) : specialUse;
            return new TargetFolder(path, parentId, use);
        }
        catch (Exception ex) when (ex is not MigrationException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            if (GraphErrors.StatusOf(ex) is 403 or 401)
            {
                throw GraphErrors.ToMigrationException(_connection, ex, "create mail folders", Address, "Mail.ReadWrite", _context.Mailbox.Location);
            }

            throw new MigrationException(Diagnose.GraphFolderFailed(_context.Mailbox.Location, path, Address, GraphErrors.Describe(ex)), ex)
            {
                Transient = GraphErrors.StatusOf(ex) is null or 429 or >= 500,
            };
        }
    }

    public async Task<IReadOnlyList<string>> ListMessageKeysAsync(TargetFolder folder, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        try
        {
            var page = await User.MailFolders[folder.NativeId].Messages.GetAsync(r =>
            {
                r.QueryParameters.Select = ["internetMessageId", "subject", "from", "sentDateTime"];
                r.QueryParameters.Top = 1000;
                r.QueryParameters.Expand = [$"singleValueExtendedProperties($filter=id eq '{GraphMessageBuilder.DedupPropertyId}')"];
            }, cancellationToken);
            while (page is not null)
            {
                keys.AddRange((page.Value ?? []).Select(KeyOf));
                if (string.IsNullOrEmpty(page.OdataNextLink))
                {
                    break;
                }

                page = await User.MailFolders[folder.NativeId].Messages.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw GraphErrors.ToMigrationException(_connection, ex, "list messages", Address, "Mail.ReadWrite", _context.Mailbox.Location);
        }

        return keys;
    }

    /// <summary>
    /// Each folder's totalItemCount (see <see cref="GraphFolderCounts"/>): a delta pass then need not page through a folder's
    /// messages to learn that it holds nothing the ledger does not know. A folder without a count is left out (the
    /// caller compares keys instead).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> CountMessagesAsync(IReadOnlyList<TargetFolder> folders, CancellationToken cancellationToken)
    {
        try
        {
            var byId = await _counts.CountAsync([.. folders.Select(f => f.NativeId)], cancellationToken);
            return folders.Where(f => byId.ContainsKey(f.NativeId)).ToDictionary(f => f.Path, f => byId[f.NativeId], StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw GraphErrors.ToMigrationException(_connection, ex, "count messages", Address, "Mail.ReadWrite", _context.Mailbox.Location);
        }
    }

    /// <summary>
    /// Our stamped key when present (messages without a Message-ID, json mode), else the Message-ID that Exchange
    /// keeps from the MIME header (or assigned when there was none) through the same <see cref="DedupKeys"/> rule.
    /// </summary>
    private static string KeyOf(Message message)
    {
        var stamped = message.SingleValueExtendedProperties?
            .FirstOrDefault(p => string.Equals(p.Id, GraphMessageBuilder.DedupPropertyId, StringComparison.OrdinalIgnoreCase))?.Value;
        if (!string.IsNullOrEmpty(stamped))
        {
            return stamped;
        }

        return DedupKeys.Compute(message.InternetMessageId, message.SentDateTime?.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            message.From?.EmailAddress?.Address, message.Subject);
    }

    public async Task<IReadOnlyList<AppendResult>> AppendAsync(TargetFolder folder, IReadOnlyList<MessageContent> messages, CancellationToken cancellationToken)
    {
        // Sources may hand out network streams: read them one after another, then import in parallel.
        var bodies = new byte[messages.Count][];
        for (var i = 0; i < messages.Count; i++)
        {
            using var buffer = new MemoryStream((int)Math.Clamp(messages[i].Length, 0, 64L * 1024 * 1024));
            await messages[i].Content.CopyToAsync(buffer, cancellationToken);
            bodies[i] = buffer.ToArray();
        }

        var results = new AppendResult[messages.Count];
        var patches = new ConcurrentQueue<FlagPatch>();
        _counts.Written(folder.NativeId);
        await Parallel.ForEachAsync(Enumerable.Range(0, messages.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.AppendParallelism), CancellationToken = cancellationToken },
            async (index, token) => results[index] = await AppendOneAsync(folder, messages[index].Summary, bodies[index], patches, token));

        // A flag update Graph refuses for good leaves the message copied without its state: reported on that message (MIG1241).
        var refused = await new GraphFlagUpdates(_connection, _context, _userId).ApplyAsync(patches.ToList(), cancellationToken);
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].TargetId is { } id && refused.TryGetValue(id, out var reason))
            {
                var diagnostic = Diagnose.GraphFlagStateRefused(_context.Mailbox.Location, messages[i].Summary.SourceId, Address, reason);
                results[i] = results[i] with { Warning = $"{diagnostic.Code}: {diagnostic.Message}" };
            }
        }

        return results;
    }

    private async Task<AppendResult> AppendOneAsync(TargetFolder folder, SourceMessage summary, byte[] bytes,
        ConcurrentQueue<FlagPatch> patches, CancellationToken cancellationToken)
    {
        if (bytes.LongLength > Options.MaxMessageSize)
        {
            _connection.Metrics.AddRejected();
            return AppendResult.Reject($"the message is {bytes.LongLength} bytes; the target mailbox accepts at most {Options.MaxMessageSize} bytes (Exchange Online MaxReceiveSize)");
        }

        var useMime = !_jsonMode && bytes.Length <= Options.MaxImportMimeBytes;
        if (!_jsonMode && !useMime)
        {
            _connection.Metrics.AddMimeFallback();
            _context.Logger.Warning("{Code}: message {SourceId} in {Mailbox} is {Size} bytes, above importMime's request limit; importing it in json mode (exact MIME not kept)",
                DiagnosticCatalog.GraphMimeFallback.Code, summary.SourceId, Address, bytes.Length);
        }

        var messageId = summary.MessageId ?? ReadMessageId(bytes);
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                string id;
                if (useMime)
                {
                    id = await ImportMimeAsync(folder, bytes, cancellationToken);
                    if (FlagPatch.For(id, summary, messageId) is { } patch)
                    {
                        patches.Enqueue(patch);
                    }
                }
                else
                {
                    id = await CreateJsonAsync(folder, summary, bytes, cancellationToken);
                }

                _connection.Metrics.AddMessage();
                return AppendResult.Ok(id);
            }
            catch (HttpRequestException ex) when (ex.StatusCode is null && attempt < attempts && !cancellationToken.IsCancellationRequested)
            {
                // The connection dropped during a create: the server may have stored the message before the answer was lost.
                if (messageId is not null && await FindByMessageIdAsync(folder, messageId, cancellationToken) is { } existing)
                {
                    if (useMime)
                    {
                        if (FlagPatch.For(existing, summary, messageId) is { } patch)
                        {
                            patches.Enqueue(patch);
                        }

                        _connection.Metrics.AddMessage();
                        return AppendResult.Ok(existing);
                    }

                    // A json-mode message found after a lost answer may lack the attachments added after its creation:
                    // remove it and create it again whole.
                    await User.Messages[existing].DeleteAsync(cancellationToken: cancellationToken);
                }

                await Task.Delay(Options.ConnectionRetryDelay * attempt, cancellationToken);
            }
            catch (ItemRejectedException ex)
            {
                _connection.Metrics.AddRejected();
                return AppendResult.Reject(ex.Message);
            }
            catch (Exception ex) when (ex is not MigrationException && GraphFailures.Classify(ex, itemRequest: false) == GraphFailureClass.ItemRefused)
            {
                // Permanent for this message (400 ErrorInvalidRecipients, 413, a 500 Exchange does not call passing): reported
                // at once as a bad item with MIG1240, never sent again in this run; the next apply tries it once more.
                _connection.Metrics.AddRejected();
                var reason = GraphErrors.ItemRefusal(ex, summary.SourceId, Address, _context.Mailbox.Location);
                _context.Logger.Warning("{Reason}", reason);
                return AppendResult.Reject(reason);
            }
            catch (Exception ex) when (ex is not MigrationException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
            {
                throw GraphErrors.ToMigrationException(_connection, ex, "import a message", Address,
                    useMime ? "Mail-Advanced.ReadWrite.All" : "Mail.ReadWrite", _context.Mailbox.Location);
            }
        }
    }

    /// <summary>Beta importMime: the body is the whole MIME message in base64, content type text/plain; 201 returns the message.</summary>
    private async Task<string> ImportMimeAsync(TargetFolder folder, byte[] bytes, CancellationToken cancellationToken)
    {
        var request = new RequestInformation
        {
            HttpMethod = Method.POST,
            URI = new Uri($"{_connection.BetaUrl}/users/{Uri.EscapeDataString(_userId)}/mailFolders/{Uri.EscapeDataString(folder.NativeId)}/importMime"),
        };
        request.Headers.Add("Accept", "application/json");
        request.SetStreamContent(new MemoryStream(Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes))), "text/plain");
        var message = await _connection.Adapter.SendAsync(request, Message.CreateFromDiscriminatorValue, ErrorMapping, cancellationToken);
        return message?.Id ?? throw new InvalidOperationException("importMime answered without a message id");
    }

    private async Task<string> CreateJsonAsync(TargetFolder folder, SourceMessage summary, byte[] bytes, CancellationToken cancellationToken)
    {
        MimeKit.MimeMessage mime;
        using (var stream = new MemoryStream(bytes, writable: false))
        {
            mime = await MimeKit.MimeMessage.LoadAsync(stream, cancellationToken);
        }

        var (message, pending) = GraphMessageBuilder.Build(mime, summary, Options.InlineAttachmentLimit);
        if (!_uploadSessions && pending.FirstOrDefault(a => a.Content.Length > Options.InlineAttachmentLimit) is { } tooLarge)
        {
            // Checked before the message is created: without upload sessions it could never be completed (MIG0252).
            throw new ItemRejectedException($"attachment {tooLarge.Name} is {tooLarge.Content.Length} bytes; cloud {Core.Model.PlanVocabulary.Clouds.Of(_context.Endpoint.Cloud.GetValueOrDefault())} has no upload sessions " +
                $"(createUploadSession is not available there), so Graph takes attachments of at most {Options.InlineAttachmentLimit} bytes");
        }

        var created = await User.MailFolders[folder.NativeId].Messages.PostAsync(message, cancellationToken: cancellationToken)
            ?? throw new InvalidOperationException("message creation answered without a message");
        try
        {
            foreach (var attachment in pending)
            {
                if (attachment.Content.Length <= Options.InlineAttachmentLimit)
                {
                    await User.Messages[created.Id].Attachments.PostAsync(GraphMessageBuilder.FileAttachmentOf(attachment), cancellationToken: cancellationToken);
                }
                else
                {
                    await UploadAttachmentAsync(created.Id!, attachment, cancellationToken);
                }
            }
        }
        catch
        {
            // A message without all its attachments must not count as copied: remove it so a retry starts clean.
            try
            {
                await User.Messages[created.Id].DeleteAsync(cancellationToken: CancellationToken.None);
            }
            catch (Exception cleanup) when (cleanup is ApiException or HttpRequestException)
            {
                _context.Logger.Warning("could not remove partially imported message {MessageId} in {Mailbox}: {Reason}", created.Id, Address, GraphErrors.Describe(cleanup));
            }

            throw;
        }

        return created.Id!;
    }

    /// <summary>
    /// Attachments over 3 MB: createUploadSession, then PUT byte ranges (multiples of 320 KiB, at most 4 MB each) to
    /// the pre-authenticated URL (https://learn.microsoft.com/graph/outlook-large-attachments).
    /// </summary>
    private async Task UploadAttachmentAsync(string messageId, PendingAttachment attachment, CancellationToken cancellationToken)
    {
        var item = new AttachmentItem
        {
            AttachmentType = AttachmentType.File,
            Name = attachment.Name,
            Size = attachment.Content.Length,
            ContentType = attachment.ContentType,
            IsInline = attachment.IsInline,
        };
        if (attachment.ContentId is not null)
        {
            item.ContentId = attachment.ContentId;
        }

        var session = await User.Messages[messageId].Attachments.CreateUploadSession.PostAsync(new CreateUploadSessionPostRequestBody { AttachmentItem = item },
            cancellationToken: cancellationToken);
        var url = session?.UploadUrl ?? throw new InvalidOperationException("createUploadSession answered without an upload URL");
        await GraphUploadSession.PutRangesAsync(_connection, _userId, url, attachment.Content, attachment.Name, cancellationToken);
    }

    private async Task<string?> FindByMessageIdAsync(TargetFolder folder, string messageId, CancellationToken cancellationToken)
    {
        var normalized = DedupKeys.NormalizeMessageId(messageId);
        if (normalized is null)
        {
            return null;
        }

        var page = await User.MailFolders[folder.NativeId].Messages.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"internetMessageId eq '{ODataQuote("<" + normalized + ">")}'";
            r.QueryParameters.Select = ["id", "internetMessageId"];
        }, cancellationToken);
        return page?.Value?.FirstOrDefault()?.Id;
    }

    /// <summary>
    /// A well-known folder is addressed by its name wherever Graph takes a folder id ("{mailFolderId} can be a folder ID
    /// or a well-known folder name", https://learn.microsoft.com/graph/api/resources/mailfolder), so it costs no request.
    /// </summary>
    private Task<string> WellKnownIdAsync(string wellKnownName, CancellationToken cancellationToken) =>
        Task.FromResult(_folderIds.TryGetValue("wk:" + wellKnownName, out var id) ? id : wellKnownName);

    /// <summary>
    /// Finds or creates one level. A parent's children are listed once for the run and cached, so ensuring many folders
    /// costs one listing per parent plus one POST per folder created; a 409 ErrorFolderExists means another writer
    /// created it: list again.
    /// </summary>
    private async Task<string> ChildFolderIdAsync(string parentId, string name, CancellationToken cancellationToken)
    {
        var key = parentId + "\n" + name.ToUpperInvariant();
        if (_folderIds.TryGetValue(key, out var cached))
        {
            return cached;
        }

        await _folderGate.WaitAsync(cancellationToken);
        try
        {
            if (_folderIds.TryGetValue(key, out cached))
            {
                return cached;
            }

            if (_listedParents.Add(parentId))
            {
                await ListChildrenAsync(parentId, cancellationToken);
                if (_folderIds.TryGetValue(key, out cached))
                {
                    return cached;
                }
            }

            string id;
            try
            {
                var created = await User.MailFolders[parentId].ChildFolders.PostAsync(new GraphMailFolder { DisplayName = name }, cancellationToken: cancellationToken);
                id = created!.Id!;
                // A folder we just created has no children to list and no messages to count.
                _listedParents.Add(id);
                _counts.Created(id);
            }
            catch (ODataError error) when (error.ResponseStatusCode == 409)
            {
                await ListChildrenAsync(parentId, cancellationToken);
                id = _folderIds.TryGetValue(key, out var found) ? found
                    : throw new InvalidOperationException($"the server says folder '{name}' exists but does not list it");
            }

            return _folderIds[key] = id;
        }
        finally
        {
            _folderGate.Release();
        }
    }

    /// <summary>All child folders of a parent (https://learn.microsoft.com/graph/api/mailfolder-list-childfolders), following nextLink.</summary>
    private async Task ListChildrenAsync(string parentId, CancellationToken cancellationToken)
    {
        var page = await User.MailFolders[parentId].ChildFolders.GetAsync(r =>
        {
            r.QueryParameters.Select = ["id", "displayName"];
            r.QueryParameters.Top = 250;
        }, cancellationToken);
        while (page is not null)
        {
            foreach (var child in page.Value ?? [])
            {
                if (child.Id is not null && child.DisplayName is not null)
                {
                    _folderIds.TryAdd(parentId + "\n" + child.DisplayName.ToUpperInvariant(), child.Id);
                }
            }

            if (string.IsNullOrEmpty(page.OdataNextLink))
            {
                break;
            }

            page = await User.MailFolders[parentId].ChildFolders.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
        }
    }

    /// <summary>OData string literals double a single quote (OData URL conventions, section 5.1.1.1).</summary>
    internal static string ODataQuote(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    private static string? WellKnownFolder(SpecialUse use) => use switch
    {
        SpecialUse.Inbox => "inbox",
        SpecialUse.Sent => "sentitems",
        SpecialUse.Drafts => "drafts",
        SpecialUse.Trash => "deleteditems",
        SpecialUse.Junk => "junkemail",
        SpecialUse.Archive => "archive",
        _ => null,
    };

    private static SpecialUse SpecialUseOf(string wellKnown) => wellKnown switch
    {
        "inbox" => SpecialUse.Inbox,
        "sentitems" => SpecialUse.Sent,
        "drafts" => SpecialUse.Drafts,
        "deleteditems" => SpecialUse.Trash,
        "junkemail" => SpecialUse.Junk,
        "archive" => SpecialUse.Archive,
        _ => SpecialUse.None,
    };

    /// <summary>First-level names that mean a well-known folder (IMAP, Outlook and Gmail spellings).</summary>
    private static string? WellKnownByName(string name) => name.Trim().ToUpperInvariant() switch
    {
        "INBOX" => "inbox",
        "SENT" or "SENT ITEMS" or "SENT MAIL" or "SENT MESSAGES" => "sentitems",
        "DRAFTS" => "drafts",
        "TRASH" or "DELETED ITEMS" or "DELETED MESSAGES" or "DELETED" => "deleteditems",
        "JUNK" or "JUNK EMAIL" or "JUNK E-MAIL" or "SPAM" => "junkemail",
        "ARCHIVE" => "archive",
        _ => null,
    };

    private static string? ReadMessageId(byte[] bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var headers = MimeKit.HeaderList.Load(stream);
            return headers[MimeKit.HeaderId.MessageId];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        _folderGate.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A message the target cannot take whatever the retries (reported as a bad item with this reason).</summary>
internal sealed class ItemRejectedException(string reason) : Exception(reason);
