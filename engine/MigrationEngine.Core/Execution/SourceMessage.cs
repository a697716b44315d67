
namespace MigrationEngine.Core.Execution;

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
