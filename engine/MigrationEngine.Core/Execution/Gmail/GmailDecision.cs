
namespace MigrationEngine.Core.Execution.Gmail;

/// <summary>Where one Gmail message goes: the occurrences it is copied from (one per target folder) and what it carries.</summary>
/// <param name="Copies">The occurrences to copy; an archived message is copied from its <see cref="GmailMessage.Home"/>.</param>
/// <param name="Flags">Flags added to each copy (Starred is \Flagged).</param>
/// <param name="Keywords">Keywords added to each copy (labels with <c>labelCopies: categories</c>, <c>$Important</c>).</param>
/// <param name="Categories">The same as Exchange categories: label names as Gmail shows them, and <c>Important</c>.</param>
public sealed record GmailDecision(IReadOnlyList<GmailOccurrence> Copies, MailFlags Flags, IReadOnlyList<string> Keywords, IReadOnlyList<string> Categories)
{
    /// <summary>True when the copy from this occurrence goes to the archive folder, not to the occurrence's own label folder.</summary>
    public bool Archived => Copies.Count == 1 && Copies[0].Role is GmailFolderRole.AllMail or GmailFolderRole.Starred or GmailFolderRole.Important;

    /// <summary>Where a label folder entry not copied there says the message went.</summary>
    public string? PlacedIn => Copies.Count == 0 ? null : Archived ? "the archive folder" : Copies[0].Label.Path;

    /// <summary>A copy's summary: the source's flags and keywords, with what the placement adds.</summary>
    public SourceMessage Apply(SourceMessage summary) => summary with
    {
        Flags = summary.Flags | Flags,
        Keywords = Keywords.Count == 0 ? summary.Keywords : summary.Keywords.Concat(Keywords).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        Categories = Categories,
    };
}
