namespace MigrationEngine.Core.Execution;

/// <summary>
/// What a migration moves (the plan's <c>items:</c>, default <c>[mail]</c>). Contacts and calendar items travel as
/// their standard text (vCard, iCalendar) through <see cref="IPimSource"/> and <see cref="IPimTarget"/>; mail keeps its
/// own contracts (<see cref="IMailSource"/>, <see cref="IMailTarget"/>).
/// </summary>
public enum ItemKind
{
    Mail,
    Contacts,
    Calendar,
}

/// <summary>
/// An address book (contacts) or a calendar of one mailbox. <see cref="Path"/> is the collection's name as the user knows
/// it with '/' between levels (a subfolder of <c>contacts/</c> in an ics-vcf tree, a DAV collection's display name);
/// the default collection is <see cref="DefaultPath"/> and maps to the target's default one (Graph: the default contact
/// folder and calendar).
/// </summary>
public sealed record PimCollection(ItemKind Kind, string Path)
{
    public const string DefaultPath = "";

    /// <summary>The adapter's own name for it (folder path, DAV href, Graph id), opaque to the core.</summary>
    public string? NativeName { get; init; }

    /// <summary>Shown name where the source has one beside <see cref="Path"/> (DAV displayname).</summary>
    public string? DisplayName { get; init; }

    public bool IsDefault => Path.Length == 0;
}

/// <summary>
/// One contact (a vCard) or one calendar object: every component of one iCalendar UID (the series master and its
/// overridden occurrences, RECURRENCE-ID) with the VTIMEZONEs they use, as one VCALENDAR. Items are small and read whole.
/// </summary>
public sealed record PimItem
{
    public required ItemKind Kind { get; init; }

    /// <summary>Stable id within the collection (file path and index, DAV href).</summary>
    public required string SourceId { get; init; }

    /// <summary>
    /// How the item is recognised in a target and in the ledger: the vCard UID or the iCalendar UID (with RECURRENCE-ID for
    /// an occurrence that comes without its series), or a hash of the content when the item has no UID.
    /// See <c>PimKeys</c> for the one place that computes it.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>SHA-256 of the normalised text: a changed source item is updated on the next pass, not duplicated.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The vCard (BEGIN:VCARD...) or iCalendar (BEGIN:VCALENDAR...) text, CRLF line ends, lines unfolded or not.</summary>
    public required string Text { get; init; }

    /// <summary>Set by a source that could not read the item (broken encoding, unknown time zone): reported as a bad item, not written.</summary>
    public string? Problem { get; init; }
}

/// <summary>
/// Reads the contacts and calendars of one mailbox. Which item kinds a source type carries is <see cref="ItemCapabilities"/>
/// (the one home of that rule: validation names the types that can from it), not a member of the adapter.
/// </summary>
public interface IPimSource : IAsyncDisposable
{
    Task<IReadOnlyList<PimCollection>> ListCollectionsAsync(ItemKind kind, CancellationToken cancellationToken);

    IAsyncEnumerable<PimItem> ReadItemsAsync(PimCollection collection, CancellationToken cancellationToken);
}

/// <summary>The target's collection that items of a source collection go to.</summary>
public sealed record PimTargetCollection(ItemKind Kind, string Path, string NativeId);

/// <summary>What the target already holds: per item key, its id there and the content hash it was written with.</summary>
public sealed record PimTargetItem(string Key, string TargetId, string? ContentHash);

/// <summary>
/// Outcome of writing one item: its id in the target, or why the target refused it (a bad item, the mailbox goes on).
/// <see cref="Dropped"/> names what the target could not hold and left out (counted in the report, never silent).
/// </summary>
public sealed record PimWriteResult(string? TargetId, string? RejectionReason = null)
{
    public IReadOnlyList<string> Dropped { get; init; } = [];

    public bool Rejected => RejectionReason is not null;
}

/// <summary>Writes the contacts and calendars of one mailbox. Writing never sends an invitation or any other message.</summary>
public interface IPimTarget : IAsyncDisposable
{
    /// <summary>Creates the collection when missing (idempotent); the default collection maps to the target's own.</summary>
    Task<PimTargetCollection> EnsureCollectionAsync(PimCollection collection, CancellationToken cancellationToken);

    /// <summary>
    /// The items already in the collection that carry a key (the target stores the key with each item it writes, as the
    /// Graph mail path stores its dedup key), so a run without state finds what an earlier run created.
    /// </summary>
    Task<IReadOnlyList<PimTargetItem>> ListItemsAsync(PimTargetCollection collection, CancellationToken cancellationToken);

    /// <summary>Creates the item, or replaces the one at <paramref name="existingTargetId"/> (a changed source item).</summary>
    Task<PimWriteResult> WriteAsync(PimTargetCollection collection, PimItem item, string? existingTargetId, CancellationToken cancellationToken);
}

public interface IPimSourceFactory
{
    /// <summary>Source types this factory serves (ics-vcf, takeout, pst, dav).</summary>
    IReadOnlyCollection<MigrationEngine.Core.Model.EndpointType> Types { get; }

    Task<IPimSource> OpenAsync(MailboxContext context, CancellationToken cancellationToken);
}

public interface IPimTargetFactory
{
    IReadOnlyCollection<MigrationEngine.Core.Model.EndpointType> Types { get; }

    Task<IPimTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken);
}
