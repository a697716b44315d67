using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Execution;

[Flags]
public enum MailFlags
{
    None = 0,
    Seen = 1,
    Answered = 2,
    Flagged = 4,
    Deleted = 8,
    Draft = 16,
}

/// <summary>The role of a folder, from IMAP SPECIAL-USE (RFC 6154), a preset's names, or a file layout.</summary>
public enum SpecialUse
{
    None,
    Inbox,
    Sent,
    Drafts,
    Trash,
    Junk,
    Archive,
    All,
    Flagged,
    Important,
}

/// <summary>
/// A mail folder. <see cref="Path"/> is the decoded (Unicode) name with '/' between levels, whatever the
/// server's own delimiter; a '/' inside one level's name is written as U+2215 (division slash).
/// </summary>
public sealed record SourceFolder(string Path, SpecialUse SpecialUse = SpecialUse.None)
{
    /// <summary>The adapter's own name for it (IMAP full name, file path, Graph folder id), opaque to the core.</summary>
    public string? NativeName { get; init; }

    /// <summary>IMAP UIDVALIDITY or a file's identity; a change means source ids of this folder were renumbered.</summary>
    public long? UidValidity { get; init; }

    /// <summary>Message count when the source knows it cheaply.</summary>
    public int? MessageCount { get; init; }

    /// <summary>
    /// Where the folder stands (IMAP UIDVALIDITY, UIDNEXT and, with CONDSTORE, HIGHESTMODSEQ) when the source reads it
    /// cheaply. A delta pass skips a folder whose cursor is the one saved after its last copy: nothing arrived since.
    /// </summary>
    public State.FolderCursor? Cursor { get; init; }
}

/// <summary>What a source knows about one message before its body is read.</summary>
public sealed record SourceMessage
{
    /// <summary>Stable id within the folder (and its <see cref="SourceFolder.UidValidity"/>): IMAP UID, mbox offset, Maildir unique name, EML relative path.</summary>
    public required string SourceId { get; init; }
    public long Size { get; init; }
    public MailFlags Flags { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];
    /// <summary>
    /// Categories the copy should carry in a target that has them (Exchange: the message's <c>categories</c>); an IMAP target
    /// gets them as <see cref="Keywords"/> already. Set for Gmail labels with <c>labelCopies: categories</c>.
    /// </summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>IMAP INTERNALDATE, the mbox From_ line date, the Maildir file time.</summary>
    public DateTimeOffset? InternalDate { get; init; }
    public string? MessageId { get; init; }
    /// <summary>See <see cref="DedupKeys"/>: how a copy of this message is recognised in a target without the ledger.</summary>
    public required string DedupKey { get; init; }
    /// <summary>Set by a source that found the message malformed in a way that should be reported (it is still copied).</summary>
    public string? Warning { get; init; }

    /// <summary>
    /// Set when this listing entry is not copied here because the message's one copy goes to another folder (Gmail: a label
    /// of a message placed once, see <see cref="Gmail.GmailPlacement"/>): the folder that gets it. Counted, never fetched.
    /// </summary>
    public string? PlacedIn { get; init; }
}

/// <summary>A message with its raw bytes. The stream is read once, front to back; it may be a network stream.</summary>
public sealed class MessageContent(SourceMessage summary, Stream content, long length) : IAsyncDisposable, IDisposable
{
    public SourceMessage Summary { get; } = summary;
    public Stream Content { get; private set; } = content;
    public long Length { get; } = length;

    /// <summary>Lets the executor wrap the stream (hashing) before a target reads it.</summary>
    public void ReplaceContent(Stream stream) => Content = stream;

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>
/// Implemented by a content stream whose bytes are already whole in memory: the executor hashes them in one call instead
/// of while the target reads, and a target may send them again (a refused batch replayed message by message).
/// </summary>
public interface IInMemoryContent
{
    ReadOnlyMemory<byte> Bytes { get; }
}

/// <summary>
/// Outcome of appending one message: a target id, or the server's answer when it refused the item. <see cref="Warning"/>:
/// the message was stored but something about it did not arrive (e.g. its read/flag state), reported per message.
/// </summary>
public sealed record AppendResult(string? TargetId, string? RejectionReason = null, string? Warning = null)
{
    public bool Rejected => RejectionReason is not null;

    public static AppendResult Ok(string? targetId) => new(targetId);

    public static AppendResult Reject(string reason) => new(null, reason);
}

public sealed record TargetFolder(string Path, string NativeId, SpecialUse SpecialUse = SpecialUse.None);

/// <summary>Reads one mailbox. Opened per mailbox by an <see cref="IMailSourceFactory"/>; never loads a mailbox into memory.</summary>
public interface IMailSource : IAsyncDisposable
{
    Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken);

    /// <summary>Summaries of the folder's messages, streamed. <paramref name="afterSourceId"/> lets IMAP start past a UID (delta passes); others may ignore it.</summary>
    IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, CancellationToken cancellationToken);

    /// <summary>Raw bytes of the given messages, in the given order. The caller disposes each content.</summary>
    IAsyncEnumerable<MessageContent> FetchAsync(SourceFolder folder, IReadOnlyList<SourceMessage> messages, CancellationToken cancellationToken);
}

/// <summary>
/// A source that can list messages without reading their header fields. Each summary it lists carries
/// <see cref="DedupKeys.FromContent"/>; the content it fetches carries the real dedup key and Message-ID, worked out from
/// the bytes. Spares the server a header read per message when nothing needs the keys before the copy, which is when the
/// target folder holds no message the ledger does not know.
/// </summary>
public interface IContentKeySource
{
    IAsyncEnumerable<SourceMessage> ListMessagesWithoutKeysAsync(SourceFolder folder, string? afterSourceId, CancellationToken cancellationToken);
}

/// <summary>
/// A source whose <see cref="IMailSource.FetchAsync"/> reads any message a listing of the mailbox returned, on any
/// instance opened for the mailbox, without a listing of its own (IMAP: a UID FETCH on its own connection). A large folder
/// of such a source is copied in ranges on several connection pairs at once.
/// </summary>
public interface IRangeFetchSource;

/// <summary>Writes one mailbox. Appends raw bytes unchanged with flags and internal date.</summary>
public interface IMailTarget : IAsyncDisposable
{
    /// <summary>Creates the folder when missing (idempotent); maps special-use folders to the target's own.</summary>
    Task<TargetFolder> EnsureFolderAsync(string path, SpecialUse specialUse, CancellationToken cancellationToken);

    /// <summary>Dedup keys of the messages already in the folder, one entry per message (a multiset).</summary>
    Task<IReadOnlyList<string>> ListMessageKeysAsync(TargetFolder folder, CancellationToken cancellationToken);

    /// <summary>Appends the messages in order; a rejected item is reported in its result, not thrown.</summary>
    Task<IReadOnlyList<AppendResult>> AppendAsync(TargetFolder folder, IReadOnlyList<MessageContent> messages, CancellationToken cancellationToken);

    /// <summary>Largest message the target accepts, when it has a limit (Exchange Online: 35 MB by default).</summary>
    long? MaxMessageSize { get; }
}

/// <summary>A message whose flags changed since a folder cursor.</summary>
public sealed record FlagChange(string SourceId, MailFlags Flags, IReadOnlyList<string> Keywords);

/// <summary>
/// A source that lists only the messages whose flags changed since a cursor's HIGHESTMODSEQ (IMAP CONDSTORE), so that a
/// delta pass with syncFlags reads the changes instead of every message's flags.
/// </summary>
public interface IFlagChangeSource
{
    IAsyncEnumerable<FlagChange> ListFlagChangesAsync(SourceFolder folder, ulong sinceModSeq, CancellationToken cancellationToken);
}

/// <summary>A target that counts folders' messages without reading them (a delta pass checks unchanged folders by count).</summary>
public interface IFolderCountTarget
{
    /// <summary>Message count of each folder, by <see cref="TargetFolder.Path"/>; asked together so a server can answer in one round trip.</summary>
    Task<IReadOnlyDictionary<string, int>> CountMessagesAsync(IReadOnlyList<TargetFolder> folders, CancellationToken cancellationToken);
}

/// <summary>The source's current flags for a message already copied, addressed by its id in the target.</summary>
public sealed record FlagUpdate(string TargetId, MailFlags Flags, IReadOnlyList<string> Keywords);

/// <summary>A target that can bring flag changes across in delta passes (<c>syncFlags: true</c>).</summary>
public interface IFlagSyncTarget
{
    /// <summary>Sets each message's flags and keywords to the given ones where they differ; returns how many changed.</summary>
    Task<int> SyncFlagsAsync(TargetFolder folder, IReadOnlyList<FlagUpdate> updates, CancellationToken cancellationToken);
}

/// <summary>Everything an adapter may need to open a mailbox: the endpoint, the mailbox entry, the migration, secrets.</summary>
public sealed record MailboxContext(
    PlanModel Plan,
    MigrationDefinition Migration,
    EndpointDefinition Endpoint,
    MailboxEntry Mailbox,
    Serilog.ILogger Logger)
{
    /// <summary>The mailbox's address on this endpoint's side.</summary>
    public string Address => Endpoint.Role == EndpointRole.Source ? Mailbox.SourceAddress : Mailbox.TargetAddress;

    public string ResolveSecret(SecretReference secret) => secret.Resolve(Plan.PlanDirectory);

    /// <summary>For a target opened by <c>apply</c>: the plan and state writing to it (null elsewhere: no marker is checked).</summary>
    public TargetOwner? TargetOwner { get; init; }
}

public interface IMailSourceFactory
{
    /// <summary>Source types this factory serves (imap, mbox, maildir, eml, pst).</summary>
    IReadOnlyCollection<EndpointType> Types { get; }

    Task<IMailSource> OpenAsync(MailboxContext context, CancellationToken cancellationToken);
}

public interface IMailTargetFactory
{
    IReadOnlyCollection<EndpointType> Types { get; }

    Task<IMailTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A failure the user caused or must act on (wrong password, server down, missing folder): carries a diagnostic,
/// is printed without a stack trace, and fails one mailbox, not the run.
/// </summary>
public class MigrationException(Diagnostic diagnostic, Exception? inner = null) : Exception(diagnostic.Message, inner)
{
    public Diagnostic Diagnostic { get; } = diagnostic;

    /// <summary>True when retrying later may succeed (connection dropped, throttled, 5xx).</summary>
    public bool Transient { get; init; }

    /// <summary>When the server said how long to wait (Retry-After, Exchange's suggested back-off).</summary>
    public TimeSpan? RetryAfter { get; init; }
}
