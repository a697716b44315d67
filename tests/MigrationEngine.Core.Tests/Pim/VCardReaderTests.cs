using MigrationEngine.Core.Pim.VCards;
using static MigrationEngine.Core.Tests.Pim.VCardSamples;

namespace MigrationEngine.Core.Tests.Pim;

[Trait("Category", "Unit")]
public class VCardReaderTests
{
    [Fact]
    public void Rfc6350_author_card_reads_with_folded_structured_and_parameter_values()
    {
        var card = Assert.Single(VCardReader.Parse(Rfc6350Author));

        Assert.Null(card.Problem);
        Assert.Equal("4.0", card.Version);
        Assert.Equal("Simon Perreault", card.FormattedName);
        var name = card.First("N")!;
        Assert.Equal(["Perreault", "Simon", "", "", "ing. jr,M.Sc."], name.Components);
        Assert.Equal(["ing. jr", "M.Sc."], name.ComponentValues(4));
        var adr = card.First("ADR")!;
        Assert.Equal(["", "Suite D2-630", "2875 Laurier", "Quebec", "QC", "G1V 2M2", "Canada"], adr.Components);
        var tel = card.All("TEL").First();
        Assert.Equal(["work,voice"], tel.Parameter("type"));
        Assert.True(tel.HasType("voice"));
        Assert.Equal("tel:+1-418-656-9254;ext=102", tel.RawValue);
        Assert.Equal("http://www.viagenie.ca/simon.perreault/simon.asc", card.First("KEY")!.Value);
        Assert.Equal(["fr", "en"], card.All("LANG").Select(p => p.Value));
        Assert.Equal(17, card.Properties.Count);
        Assert.Equal(1, card.Line);
    }

    [Fact]
    public void Rfc2426_examples_are_two_cards_with_type_lists()
    {
        var cards = VCardReader.Parse(Rfc2426Examples);

        Assert.Equal(2, cards.Count);
        Assert.All(cards, c => Assert.Null(c.Problem));
        Assert.Equal(["Frank Dawson", "Tim Howes"], cards.Select(c => c.FormattedName));
        var adr = cards[0].First("ADR")!;
        Assert.Equal(["WORK", "POSTAL", "PARCEL"], adr.Parameter("TYPE"));
        Assert.Equal("6544 Battleford Drive", adr.Components[2]);
        Assert.Equal("Raleigh", adr.Components[3]);
        Assert.Equal(" 94043", cards[1].First("ADR")!.Components[5]);
        Assert.True(cards[0].All("EMAIL").First().HasType("pref"));
        Assert.Equal(14, cards[1].Line);
        Assert.StartsWith("BEGIN:vCard\r\nVERSION:3.0\r\nFN:Tim Howes", cards[1].SourceText, StringComparison.Ordinal);
        Assert.EndsWith("END:vCard\r\n", cards[1].SourceText, StringComparison.Ordinal);
    }

    [Fact]
    public void Google_export_keeps_groups_escapes_and_repeated_types()
    {
        var card = Assert.Single(VCardReader.Parse(Google));

        Assert.Null(card.Problem);
        Assert.Equal(["INTERNET", "HOME"], card.All("EMAIL").First().Parameter("TYPE"));
        Assert.Equal("First line\nSecond line, with a comma; and a semicolon", card.First("NOTE")!.Value);
        Assert.Equal(["myContacts", "Friends"], card.First("CATEGORIES")!.ListValues);
        var url = card.First("URL")!;
        Assert.Equal("item1", url.Group);
        Assert.Equal("https://example.org/ada", url.Value);
        Assert.Equal(2, card.Group("item1").Count());
        Assert.Equal("", card.First("X-ABLABEL")!.Value);
    }

    [Fact]
    public void Apple_export_reads_item_groups_and_the_base64_photo()
    {
        var card = Assert.Single(VCardReader.Parse(Apple));

        Assert.Null(card.Problem);
        Assert.Equal("0F9F2A7C-1B4C-4E4B-9B0E-1A2B3C4D5E6F", card.Uid);
        var email = card.First("EMAIL")!;
        Assert.Equal("item1", email.Group);
        Assert.Equal("_$!<Other>!$_", card.Group("item1").Single(p => p.Name == "X-ABLABEL").Value);
        Assert.Equal(PhotoBytes, card.First("PHOTO")!.Data);
        Assert.Equal("0F9F2A7C-1B4C-4E4B-9B0E-1A2B3C4D5E6F:ABPerson", card.First("X-ABUID")!.Value);
        Assert.Equal(["Apple Inc.", ""], card.First("ORG")!.Components);
    }

    [Fact]
    public void Outlook_21_decodes_quoted_printable_with_its_charset_soft_breaks_and_bare_types()
    {
        var card = Assert.Single(VCardReader.Parse(Outlook));

        Assert.Null(card.Problem);
        Assert.Equal("2.1", card.Version);
        Assert.Equal("Jürgen Müller", card.FormattedName);
        Assert.Equal(["Müller", "Jürgen"], card.First("N")!.Components);
        Assert.Equal(["de-de"], card.First("N")!.Parameter("LANGUAGE"));
        Assert.Empty(card.First("N")!.Parameter("ENCODING"));
        Assert.Equal("Erste Zeile\r\nZweite Zeile, die über die Zeilengrenze geht.", card.First("NOTE")!.Value);
        Assert.Equal("Hauptstraße 1", card.First("ADR")!.Components[2]);
        Assert.Equal("Hauptstraße 1\r\nBerlin 10115\r\nDeutschland", card.First("LABEL")!.Value);
        var tel = card.All("TEL").First();
        Assert.Equal(["WORK", "VOICE"], tel.Parameter("TYPE"));
        Assert.True(card.First("EMAIL")!.HasType("internet"));
        Assert.Equal(PhotoBytes, card.First("PHOTO")!.Data);
        Assert.Equal("2", card.First("X-MS-OL-DEFAULT-POSTAL-ADDRESS")!.Value);
    }

    [Fact]
    public void Bare_lf_files_and_tab_folds_unfold()
    {
        var text = "BEGIN:VCARD\nVERSION:3.0\nFN:Long\n\tName\nNOTE:a\n  b\nEND:VCARD\n";

        var card = Assert.Single(VCardReader.Parse(text));

        Assert.Equal("LongName", card.FormattedName);
        Assert.Equal("a b", card.First("NOTE")!.Value);
    }

    [Fact]
    public void Version_4_data_uri_photo_is_decoded()
    {
        var text = Crlf($"BEGIN:VCARD\nVERSION:4.0\nFN:P\nPHOTO:data:image/png;base64,{Convert.ToBase64String(PhotoBytes)}\nEND:VCARD\n");

        var card = Assert.Single(VCardReader.Parse(text));

        Assert.Null(card.Problem);
        Assert.Equal(PhotoBytes, card.First("PHOTO")!.Data);
    }

    [Theory]
    [InlineData("NOTE;ENCODING=QUOTED-PRINTABLE:broken =ZZ here", "broken quoted-printable")]
    [InlineData("NOTE;ENCODING=QUOTED-PRINTABLE:cut at the end =4", "broken quoted-printable")]
    [InlineData("NOTE;CHARSET=x-no-such-charset;ENCODING=QUOTED-PRINTABLE:a=41", "unknown CHARSET")]
    [InlineData("PHOTO;ENCODING=b;TYPE=JPEG:not*base64!", "invalid base64")]
    [InlineData("PHOTO:data:image/png;base64,%%%", "invalid base64")]
    [InlineData("a line without a colon", "no ':'")]
    public void Bad_input_is_a_problem_of_its_card_and_the_next_card_still_reads(string badLine, string expected)
    {
        var text = Crlf($"BEGIN:VCARD\nVERSION:3.0\nFN:Bad\n{badLine}\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Good\nEND:VCARD\n");

        var cards = VCardReader.Parse(text);

        Assert.Equal(2, cards.Count);
        Assert.Contains(expected, cards[0].Problem, StringComparison.Ordinal);
        Assert.Contains("line 4", cards[0].Problem, StringComparison.Ordinal);
        Assert.Equal("Bad", cards[0].FormattedName);
        Assert.Null(cards[1].Problem);
        Assert.Equal("Good", cards[1].FormattedName);
    }

    [Fact]
    public void Missing_end_is_a_problem_not_an_exception()
    {
        var cards = VCardReader.Parse("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:One\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Two\r\n");

        Assert.Equal(2, cards.Count);
        Assert.Contains("missing END:VCARD before the next BEGIN:VCARD", cards[0].Problem, StringComparison.Ordinal);
        Assert.Contains("missing END:VCARD at the end", cards[1].Problem, StringComparison.Ordinal);
        Assert.Equal(["One", "Two"], cards.Select(c => c.FormattedName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("END:VCARD\r\n")]
    [InlineData("garbage\r\n;;;:\r\n")]
    public void Text_without_cards_gives_no_cards(string text)
    {
        Assert.Empty(VCardReader.Parse(text));
    }

    [Fact]
    public void Escapes_in_21_keep_backslashes_other_than_semicolon()
    {
        var card = Assert.Single(VCardReader.Parse("BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE:C:\\new\\folder\r\nN:A\\;B;C\r\nEND:VCARD\r\n"));

        Assert.Equal("C:\\new\\folder", card.First("NOTE")!.Value);
        Assert.Equal(["A;B", "C"], card.First("N")!.Components);
    }
}
