namespace MigrationEngine.Core.Execution;

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
