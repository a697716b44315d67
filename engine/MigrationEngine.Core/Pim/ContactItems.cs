using System.Text;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Pim.VCards;

namespace MigrationEngine.Core.Pim;

/// <summary>
/// Splits a .vcf file into contacts: each BEGIN:VCARD ... END:VCARD is one item, copied as it was written. Each card is read
/// by the vCard library (<see cref="VCardReader"/>) on its own, so a broken card is a bad item with its reason and the rest
/// of the file goes on; its UID is the item's key (<see cref="PimKeys"/>).
/// </summary>
public static class ContactItems
{
    /// <param name="text">The file's text (bytes that were not UTF-8 show as U+FFFD: such a card is a bad item).</param>
    /// <param name="sourceId">The file's id in its collection; items are <c>sourceId#n</c> when the file holds more than one.</param>
    public static IReadOnlyList<PimItem> Split(string text, string sourceId)
    {
        var cards = Cut(text);
        var items = new List<PimItem>(cards.Count);
        for (var index = 0; index < cards.Count; index++)
        {
            var card = cards[index];
            var (uid, problem) = Read(card);
            items.Add(new PimItem
            {
                Kind = ItemKind.Contacts,
                SourceId = cards.Count == 1 ? sourceId : $"{sourceId}#{index + 1}",
                Key = uid is null ? PimKeys.ForContent(card) : PimKeys.ForUid(uid),
                ContentHash = PimKeys.ContentHash(card),
                Text = card,
                Problem = problem,
            });
        }

        return items;
    }

    /// <summary>The card's UID and why it cannot be copied faithfully, if it cannot.</summary>
    private static (string? Uid, string? Problem) Read(string card)
    {
        if (card.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return (null, "broken encoding: the card holds bytes that are not UTF-8 (re-export it as UTF-8)");
        }

        if (PimKeys.SizeProblem(card) is { } tooLarge)
        {
            return (null, tooLarge);
        }

        try
        {
            var parsed = VCardReader.Parse(card);
            return parsed.Count == 1
                ? (string.IsNullOrWhiteSpace(parsed[0].Uid) ? null : parsed[0].Uid, null)
                : (null, "not one vCard");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or DecoderFallbackException)
        {
            return (null, "not a valid vCard: " + ex.Message);
        }
    }

    /// <summary>The cards' texts as written (CRLF line ends), BEGIN:VCARD to its END:VCARD (nested AGENT cards stay inside).</summary>
    private static List<string> Cut(string text)
    {
        var cards = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        foreach (var (logical, raw) in ContentLines.Read(text))
        {
            var name = ContentLines.NameOf(logical);
            var isCard = string.Equals(ContentLines.ValueOf(logical).Trim(), "VCARD", StringComparison.OrdinalIgnoreCase);
            if (name == "BEGIN" && isCard)
            {
                depth++;
            }

            if (depth > 0)
            {
                current.Append(raw).Append("\r\n");
            }

            if (name == "END" && isCard && depth > 0 && --depth == 0)
            {
                cards.Add(current.ToString());
                current.Clear();
            }
        }

        if (depth > 0 && current.Length > 0)
        {
            cards.Add(current.ToString());
        }

        return cards;
    }
}
