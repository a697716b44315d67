using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Dav.Tests;

[Trait("Category", "Unit")]
public sealed class DavItemTextTests
{
    [Fact]
    public void KeysComeFromTheUidOrTheContent()
    {
        Assert.Equal("ann-1", DavItemText.KeyOf(ItemKind.Contacts, Samples.Contact("ann-1", "Ann Example", "ann@example.test")));
        Assert.Equal("g-1", DavItemText.KeyOf(ItemKind.Contacts, "BEGIN:VCARD\r\nVERSION:4.0\r\nitem1.UID:g-1\r\nFN:x\r\nEND:VCARD\r\n"));
        Assert.Equal(Samples.RecurringUid, DavItemText.KeyOf(ItemKind.Calendar, Samples.RecurringWithOverride()));

        var occurrenceOnly = Samples.Crlf("""
            BEGIN:VCALENDAR
            BEGIN:VEVENT
            UID:series-1
            RECURRENCE-ID:20260112T093000Z
            DTSTART:20260112T110000Z
            END:VEVENT
            END:VCALENDAR
            """);
        Assert.Equal("series-1|20260112T093000Z", DavItemText.KeyOf(ItemKind.Calendar, occurrenceOnly));

        var noUid = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody\r\nEND:VCARD\r\n";
        var (key, hash) = DavItemText.KeyAndHash(ItemKind.Contacts, noUid);
        Assert.Equal("sha256:" + hash, key);
    }

    [Fact]
    public void TheHashIgnoresFoldingLineEndsAndOurMarkers()
    {
        var text = Samples.Contact("ann-1", "Ann Example", "ann@example.test");
        var folded = text.Replace("NOTE:Met at", "NOTE:Met\r\n  at", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal);
        var marked = DavItemText.WithMarkers(ItemKind.Contacts, text, "ann-1", "abc");

        Assert.Equal(DavItemText.ContentHash(text), DavItemText.ContentHash(folded));
        Assert.Equal(DavItemText.ContentHash(text), DavItemText.ContentHash(marked));
        Assert.NotEqual(DavItemText.ContentHash(text), DavItemText.ContentHash(text.Replace("Met", "Saw", StringComparison.Ordinal)));
    }

    [Fact]
    public void MarkersRoundTripAndReplaceEarlierOnes()
    {
        var key = "../../x;with,specials\\and\nnewline " + new string('k', 300);
        var once = DavItemText.WithMarkers(ItemKind.Calendar, Samples.RecurringWithOverride(), key, "hash-1");
        var twice = DavItemText.WithMarkers(ItemKind.Calendar, once, key, "hash-2");

        Assert.Equal((key, "hash-2"), DavItemText.ReadMarkers(twice));
        // One pair per component that carries the UID (the master and its override), none left from the first pass.
        Assert.Equal(2, twice.Split("\r\n").Count(l => l.StartsWith(DavItemText.HashMarker, StringComparison.Ordinal)));
        Assert.All(twice.Split("\r\n"), l => Assert.True(l.Length <= 76 || !l.StartsWith("X-MIGRATIONENGINE", StringComparison.Ordinal), l));
        Assert.Null(DavItemText.Problem(ItemKind.Calendar, twice));
    }

    [Fact]
    public void AnItemWithoutUidGetsOneForTheServer()
    {
        var text = DavItemText.WithMarkers(ItemKind.Contacts, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody\r\nEND:VCARD\r\n", "sha256:abc", "abc");
        Assert.StartsWith("me-", DavItemText.KeyOf(ItemKind.Contacts, text), StringComparison.Ordinal);
        Assert.Equal("sha256:abc", DavItemText.ReadMarkers(text).Key);
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("a/b\\c")]
    [InlineData("%2e%2e%2f")]
    public void ResourceNamesAreHashesWhateverTheKey(string key)
    {
        var name = DavItemText.ResourceName(ItemKind.Contacts, key);
        Assert.Matches("^me-[0-9a-f]{40}\\.vcf$", name);
        Assert.Matches("^me-[0-9a-f]{40}\\.vcf$", DavItemText.ResourceName(ItemKind.Contacts, new string('u', 10_000)));
    }

    [Fact]
    public void CollectionSlugsKeepLettersAndAHash()
    {
        Assert.Matches("^escapeattempt-[0-9a-f]{10}$", DavTarget.Slug("../../Escape/attempt"));
        Assert.Matches("^[0-9a-f]{10}$", DavTarget.Slug("日本"));
        Assert.NotEqual(DavTarget.Slug("Work"), DavTarget.Slug("work"));
        Assert.All(new[] { "Work", "日本", "../../Escape/attempt", new string('x', 100) }, name => Assert.True(DavTarget.MadeForANamedCollection(DavTarget.Slug(name))));
        Assert.All(new[] { "contacts", "calendar", "personal", "3F2504E0-4F89-11D3-9A0C-0305E82C3301" }, segment => Assert.False(DavTarget.MadeForANamedCollection(segment)));
    }

    [Fact]
    public void BrokenDataIsABadItemWithAReason()
    {
        var card = DavSource.ToItem(ItemKind.Contacts, new DavObject(new Uri("https://dav.example.test/a/b.vcf"), null, "BEGIN:VCARD\r\nFN:half", 200));
        Assert.NotNull(card.Problem);
        var two = DavSource.ToItem(ItemKind.Contacts, new DavObject(new Uri("https://dav.example.test/a/e.vcf"), null,
            Samples.Contact("a", "Ann A", "a@example.test") + Samples.Contact("b", "Bob B", "b@example.test"), 200));
        Assert.Equal("2 vCards in one resource (CardDAV allows one)", two.Problem);
        var none = DavSource.ToItem(ItemKind.Calendar, new DavObject(new Uri("https://dav.example.test/a/c.ics"), null, null, 200));
        Assert.Contains("no calendar data", none.Problem, StringComparison.Ordinal);
        var garbage = DavSource.ToItem(ItemKind.Calendar, new DavObject(new Uri("https://dav.example.test/a/d.ics"), null, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:notadate\r\n", 200));
        Assert.NotNull(garbage.Problem);
    }

    [Theory]
    [InlineData(null, false, "'url' is required")]
    [InlineData("dav.example.test", false, "absolute http")]
    [InlineData("ftp://dav.example.test/", false, "absolute http")]
    [InlineData("https://bob:secret@dav.example.test/", false, "must not carry a user name")]
    [InlineData("https://dav.example.test/?a=1", false, "query")]
    [InlineData("http://dav.example.test/", false, "allowInsecure")]
    public void UrlsThatCannotBeUsedAreExplained(string? url, bool allowInsecure, string expected)
    {
        var problem = DavEndpointUrl.Problem(url, allowInsecure, out var uri);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", problem, StringComparison.Ordinal);
        Assert.Null(uri);
    }

    [Fact]
    public void HttpsAndAllowedHttpUrlsAreUsed()
    {
        Assert.Null(DavEndpointUrl.Problem("https://dav.example.test/.well-known/carddav", false, out var https));
        Assert.Equal("/.well-known/carddav", https!.AbsolutePath);
        Assert.Null(DavEndpointUrl.Problem("http://127.0.0.1:5232/", true, out _));
    }
}
