using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Pim.VCards;

namespace MigrationEngine.Core.Pim;

/// <summary>
/// Splits a .vcf file into contacts with the vCard library (<see cref="VCardReader"/>): each card is one item, copied as it
/// was written (<see cref="VCard.SourceText"/>), keyed by its UID (<see cref="PimKeys"/>). A card the reader could not read
/// whole, whose bytes were not UTF-8, or that is too large is a bad item with the reason; the rest of the file goes on.
/// </summary>
public static class ContactItems
{
    /// <param name="text">The file's text (bytes that were not UTF-8 show as U+FFFD: such a card is a bad item).</param>
    /// <param name="sourceId">The file's id in its collection; items are <c>sourceId#n</c> when the file holds more than one.</param>
    public static IReadOnlyList<PimItem> Split(string text, string sourceId)
    {
        var cards = VCardReader.Parse(text);
        var items = new List<PimItem>(cards.Count);
        for (var index = 0; index < cards.Count; index++)
        {
            var card = cards[index];
            var cardText = card.SourceText;
            var uid = string.IsNullOrWhiteSpace(card.Uid) ? null : card.Uid;
            items.Add(new PimItem
            {
                Kind = ItemKind.Contacts,
                SourceId = cards.Count == 1 ? sourceId : $"{sourceId}#{index + 1}",
                Key = uid is null ? PimKeys.ForContent(cardText) : PimKeys.ForUid(uid),
                ContentHash = PimKeys.ContentHash(cardText),
                Text = cardText,
                Problem = ProblemOf(card, cardText),
            });
        }

        return items;
    }

    private static string? ProblemOf(VCard card, string cardText) =>
        cardText.Contains('\uFFFD', StringComparison.Ordinal) ? "broken encoding: the card holds bytes that are not UTF-8 (re-export it as UTF-8)"
        : PimKeys.SizeProblem(cardText)
        ?? (card.Problem is { } problem ? "not a valid vCard: " + problem : null);
}
