using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Pim;
using MigrationEngine.Core.Pim.VCards;

namespace MigrationEngine.Core.Tests.Pim;

/// <summary>How a .vcf file becomes contacts: one item per card as written, keyed by UID or content, bad cards alone.</summary>
[Trait("Category", "Unit")]
public sealed class ContactItemsTests
{
    private const string Photo = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    [Fact]
    public void Each_card_is_one_item_as_written_keyed_by_its_uid_or_its_content()
    {
        var text = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:one\r\nFN:Jeanne\r\nPHOTO;ENCODING=b;TYPE=PNG:" + Photo[..40] + "\r\n " + Photo[40..] + "\r\nEND:VCARD\r\n"
            + "BEGIN:VCARD\nVERSION:4.0\nFN:No Uid\nEMAIL:n@example.com\nEND:VCARD\n";

        var items = ContactItems.Split(text, "book.vcf");

        Assert.Equal(2, items.Count);
        Assert.Equal(("one", "book.vcf#1", ItemKind.Contacts), (items[0].Key, items[0].SourceId, items[0].Kind));
        Assert.Contains("PHOTO;ENCODING=b;TYPE=PNG:" + Photo[..40] + "\r\n " + Photo[40..], items[0].Text, StringComparison.Ordinal);
        Assert.Equal(Photo, VCardReader.Parse(items[0].Text)[0].First("PHOTO")!.RawValue);
        Assert.StartsWith(PimKeys.HashPrefix, items[1].Key, StringComparison.Ordinal);
        Assert.Equal(items[1].Key, ContactItems.Split(items[1].Text, "again.vcf")[0].Key);
        Assert.All(items, item => Assert.Null(item.Problem));
    }

    [Fact]
    public void A_broken_card_is_a_bad_item_and_the_next_one_is_read()
    {
        var text = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:broken\r\nFN:Fran\uFFFDois\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nUID:fine\r\nFN:Fine\r\nEND:VCARD\r\nBEGIN:VCARD\r\nUID:open\r\nFN:Never ends\r\n";

        var items = ContactItems.Split(text, "mixed.vcf");

        Assert.Equal(["broken", "fine", "open"], items.Select(i => i.Key));
        Assert.Contains("broken encoding", items[0].Problem, StringComparison.Ordinal);
        Assert.Null(items[1].Problem);
        Assert.Contains("not a valid vCard", items[2].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ten_megabyte_photo_is_a_bad_item_with_its_size()
    {
        var text = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:big\r\nFN:Big\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + new string('A', 10 * 1024 * 1024) + "\r\nEND:VCARD\r\n";

        var item = Assert.Single(ContactItems.Split(text, "big.vcf"));

        Assert.Contains("10.0 MB", item.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_content_hash_ignores_revision_stamps_and_sees_edits()
    {
        const string card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nREV:20240101T000000Z\r\nFN:Before\r\nEND:VCARD\r\n";

        var first = ContactItems.Split(card, "a.vcf")[0];
        var restamped = ContactItems.Split(card.Replace("REV:20240101T000000Z", "REV:20250101T000000Z", StringComparison.Ordinal), "a.vcf")[0];
        var edited = ContactItems.Split(card.Replace("FN:Before", "FN:After", StringComparison.Ordinal), "a.vcf")[0];

        Assert.Equal(first.ContentHash, restamped.ContentHash);
        Assert.NotEqual(first.ContentHash, edited.ContentHash);
        Assert.Equal(first.Key, edited.Key);
    }
}
