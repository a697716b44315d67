using System.Text;
using MigrationEngine.Core.Pim.VCards;
using static MigrationEngine.Core.Tests.Pim.VCardSamples;

namespace MigrationEngine.Core.Tests.Pim;

[Trait("Category", "Unit")]
public class VCardWriterTests
{
    public static TheoryData<string, string> Samples => new()
    {
        { "rfc6350", Rfc6350Author },
        { "rfc2426", Rfc2426Examples },
        { "google", Google },
        { "apple", Apple },
        { "outlook", Outlook },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Round_trip_keeps_every_property(string sample, string text)
    {
        var first = VCardReader.Parse(text);
        var written = VCardWriter.Write(first);
        var second = VCardReader.Parse(written);

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Null(second[i].Problem);
            Assert.Equal(Describe(first[i]), Describe(second[i]));
        }

        Assert.False(string.IsNullOrEmpty(sample));
        AssertWellFormed(written);
        Assert.Equal(written, VCardWriter.Write(second)); // writing is stable
    }

    [Fact]
    public void Version_comes_right_after_begin()
    {
        var card = new VCard([VCardProperty.Text("FN", "A"), new VCardProperty("VERSION", "4.0")]);

        Assert.Equal("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nEND:VCARD\r\n", VCardWriter.Write(card));
    }

    [Fact]
    public void Text_is_escaped_for_30_and_40()
    {
        var card = new VCard([new VCardProperty("VERSION", "3.0"), VCardProperty.Text("NOTE", "a,b;c\\d\r\ne"),
            VCardProperty.Structured("N", ["Doe;Jr", "John"]), VCardProperty.List("CATEGORIES", ["x,y", "z"])]);

        var written = VCardWriter.Write(card);

        Assert.Contains("NOTE:a\\,b\\;c\\\\d\\ne\r\n", written, StringComparison.Ordinal);
        Assert.Contains("N:Doe\\;Jr;John\r\n", written, StringComparison.Ordinal);
        Assert.Contains("CATEGORIES:x\\,y,z\r\n", written, StringComparison.Ordinal);
        var back = Assert.Single(VCardReader.Parse(written));
        Assert.Equal("a,b;c\\d\ne", back.First("NOTE")!.Value);
        Assert.Equal(["Doe;Jr", "John"], back.First("N")!.Components);
        Assert.Equal(["x,y", "z"], back.First("CATEGORIES")!.ListValues);
    }

    [Fact]
    public void Long_lines_fold_at_75_octets_without_splitting_utf8()
    {
        var note = string.Concat(Enumerable.Repeat("é€😀a", 60));
        var card = new VCard([new VCardProperty("VERSION", "4.0"), VCardProperty.Text("NOTE", note)]);

        var written = VCardWriter.Write(card);

        var bytes = Encoding.UTF8.GetBytes(written);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var lineStart = 0;
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] != '\r' || bytes[i + 1] != '\n')
                continue;
            Assert.InRange(i - lineStart, 1, 75);
            strict.GetString(bytes, lineStart, i - lineStart); // each physical line is whole UTF-8 on its own
            lineStart = i + 2;
        }

        Assert.True(written.Split("\r\n").Length > 5);
        Assert.Equal(note, Assert.Single(VCardReader.Parse(written)).First("NOTE")!.Value);
    }

    [Fact]
    public void Version_21_writes_multi_line_and_non_ascii_text_as_quoted_printable_utf8()
    {
        var card = new VCard([new VCardProperty("VERSION", "2.1"), VCardProperty.Text("FN", "Jürgen"),
            new VCardProperty("NOTE", "one\r\ntwo " + new string('x', 100)),
            new VCardProperty("TEL", "+1", null, [VCardProperty.Param("TYPE", "WORK", "VOICE")])]);

        var written = VCardWriter.Write(card);

        Assert.Contains("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:J=C3=BCrgen\r\n", written, StringComparison.Ordinal);
        Assert.Contains("NOTE;ENCODING=QUOTED-PRINTABLE:one=0D=0Atwo xx", written, StringComparison.Ordinal);
        Assert.Contains("TEL;WORK;VOICE:+1\r\n", written, StringComparison.Ordinal);
        Assert.All(written.Split("\r\n"), line => Assert.InRange(line.Length, 0, 76));
        var back = Assert.Single(VCardReader.Parse(written));
        Assert.Equal("Jürgen", back.FormattedName);
        Assert.Equal("one\r\ntwo " + new string('x', 100), back.First("NOTE")!.Value);
    }

    [Theory]
    [InlineData(VCardVersion.V4, "4.0", "PHOTO:data:image/jpeg;base64,")]
    [InlineData(VCardVersion.V3, "3.0", "PHOTO;ENCODING=b;TYPE=JPEG:")]
    [InlineData(VCardVersion.V21, "2.1", "PHOTO;ENCODING=BASE64;JPEG:")]
    public void Binary_values_are_written_as_each_version_expects(VCardVersion version, string versionText, string expectedStart)
    {
        var card = new VCard([new VCardProperty("VERSION", versionText), VCardProperty.Binary("PHOTO", PhotoBytes, "image/jpeg", version)]);

        var written = VCardWriter.Write(card);

        Assert.Contains("\r\n" + expectedStart, written, StringComparison.Ordinal);
        var back = Assert.Single(VCardReader.Parse(written));
        Assert.Null(back.Problem);
        Assert.Equal(PhotoBytes, back.First("PHOTO")!.Data);
    }

    [Fact]
    public void Parameter_values_with_separators_are_quoted_and_4_0_caret_encodes()
    {
        var card = new VCard([new VCardProperty("VERSION", "4.0"),
            new VCardProperty("ADR", ";;Main St", null, [VCardProperty.Param("LABEL", "Main St\nTown, \"Old\"")])]);

        var written = VCardWriter.Write(card);

        Assert.Contains("ADR;LABEL=\"Main St^nTown, ^'Old^'\":;;Main St", written, StringComparison.Ordinal);
        Assert.Equal(["Main St\nTown, \"Old\""], Assert.Single(VCardReader.Parse(written)).First("ADR")!.Parameter("LABEL"));
    }

    private static List<string> Describe(VCard card) => card.Properties.Select(p =>
        $"{p.Group}.{p.Name};{string.Join(";", p.Parameters.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => x.Key + "=" + string.Join(",", x.Value)))}:"
        + $"{p.Value.ReplaceLineEndings("\n")}|{(p.Data is null ? "" : Convert.ToBase64String(p.Data))}").ToList();

    private static void AssertWellFormed(string written)
    {
        Assert.EndsWith("\r\n", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", written.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(written.Split("\r\n"), line => Assert.InRange(Encoding.UTF8.GetByteCount(line), 0, 76));
    }
}
