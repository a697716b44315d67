using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>Multistatus answers of real servers (Radicale 3.1, Nextcloud/sabre) and of the RFCs' examples, and hostile ones.</summary>
[Trait("Category", "Unit")]
public sealed class MultistatusTests
{
    private static string Transcript(string name) => DavTranscripts.Read(name);

    [Fact]
    public void RadicaleHomeListsItsCollectionsWithTheirTypesAndComponentSets()
    {
        var home = new Uri("http://127.0.0.1:5232/alice/");
        var resources = Multistatus.Parse(Transcript("radicale-home-depth1.xml"), home);

        Assert.Equal(["/alice/", "/alice/tasks/", "/alice/friends/", "/alice/work/"], resources.Select(r => r.Href.AbsolutePath));
        var friends = resources.Single(r => r.Href.AbsolutePath == "/alice/friends/");
        Assert.True(friends.IsCollection);
        Assert.True(friends.HasResourceType(DavNames.Addressbook));
        Assert.Equal("Friends & Family", friends.Text(DavNames.DisplayName));
        // The 404 propstat of the home leaves displayname absent, not empty.
        Assert.Null(resources[0][DavNames.DisplayName]);
        Assert.True(resources.Single(r => r.Href.AbsolutePath == "/alice/tasks/").HasResourceType(DavNames.Calendar));
    }

    [Fact]
    public void RadicaleMultigetGivesDataAndEtagAndA404ForAMissingHref()
    {
        var resources = Multistatus.Parse(Transcript("radicale-addressbook-multiget.xml"), new Uri("http://127.0.0.1:5232/alice/friends/"));

        var gone = resources.Single(r => r.Href.AbsolutePath.EndsWith("gone.vcf", StringComparison.Ordinal));
        Assert.Equal(404, gone.Status);
        var ann = resources.Single(r => r.Href.AbsolutePath.EndsWith("ann.vcf", StringComparison.Ordinal));
        Assert.Equal(200, ann.Status);
        Assert.StartsWith("\"c713ef8d", ann.Text(DavNames.GetETag), StringComparison.Ordinal);
        var item = DavSource.ToItem(ItemKind.Contacts, new DavObject(ann.Href, ann.Text(DavNames.GetETag), ann.Text(DavNames.AddressData), ann.Status));
        Assert.Equal("ann-1", item.Key);
        Assert.Null(item.Problem);
        Assert.Contains("\r\nFN:Ann Example\r\n", item.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SabrePrincipalNamesBothHomeSets()
    {
        var at = new Uri("https://cloud.example.test/remote.php/dav/principals/users/alice/");
        var principal = Assert.Single(Multistatus.Parse(Transcript("sabre-nextcloud-principal.xml"), at));

        Assert.Equal("/remote.php/dav/addressbooks/users/alice/", Assert.Single(principal.Hrefs(DavNames.AddressbookHomeSet, at)).AbsolutePath);
        Assert.Equal("https://cloud.example.test/remote.php/dav/calendars/users/alice/", Assert.Single(principal.Hrefs(DavNames.CalendarHomeSet, at)).AbsoluteUri);
    }

    [Fact]
    public void SabreCalendarHomeHoldsCalendarsTaskListsAndSchedulingCollections()
    {
        var home = new Uri("https://cloud.example.test/remote.php/dav/calendars/users/alice/");
        var resources = Multistatus.Parse(Transcript("sabre-nextcloud-calendars.xml"), home);

        var calendars = resources.Where(r => r.HasResourceType(DavNames.Calendar)).ToList();
        Assert.Equal(3, calendars.Count); // personal, tasks, work & travel; the scheduling inbox is no calendar
        var escaped = calendars.Single(c => c.Text(DavNames.DisplayName) == "Work & travel");
        Assert.Equal("/remote.php/dav/calendars/users/alice/work & travel", Uri.UnescapeDataString(escaped.Href.AbsolutePath).TrimEnd('/'));
        Assert.Null(escaped[DavNames.SupportedComponents]); // absent: every component allowed (RFC 4791 5.2.3)
    }

    [Fact]
    public void Rfc4791MultigetExampleWithAbsoluteHrefs()
    {
        var resources = Multistatus.Parse(Transcript("rfc4791-calendar-multiget.xml"), new Uri("http://cal.example.com/bernard/work/"));

        Assert.Equal(2, resources.Count);
        var item = DavSource.ToItem(ItemKind.Calendar, new DavObject(resources[0].Href, null, resources[0].Text(DavNames.CalendarData), 200));
        Assert.Equal("74855313FA803DA593CD579A@example.com", item.Key);
        Assert.Equal("/bernard/work/abcd1.ics", item.SourceId);
        Assert.Equal(404, resources[1].Status);
    }

    [Fact]
    public void Rfc6352MultigetExample()
    {
        var resources = Multistatus.Parse(Transcript("rfc6352-addressbook-multiget.xml"), new Uri("https://addressbook.example.com/home/bernard/addressbook/"));

        Assert.Equal("\"23ba4d-ff11fb\"", resources[0].Text(DavNames.GetETag));
        Assert.Equal("34222-232@example.com", DavItemText.KeyOf(ItemKind.Contacts, resources[0].Text(DavNames.AddressData)!));
        Assert.Equal(404, Multistatus.StatusCode("HTTP/1.1 404 Resource not found"));
    }

    [Fact]
    public void ICloudPrincipalNamesAHomeOnAnotherHostWhichIsKeptOutOfResponsesButVisibleAsAProperty()
    {
        var at = new Uri("https://caldav.icloud.com/123456789/principal/");
        var principal = Assert.Single(Multistatus.Parse(Transcript("icloud-principal.xml"), at));

        var home = Assert.Single(principal.Hrefs(DavNames.CalendarHomeSet, at));
        Assert.Equal("p42-caldav.icloud.com", home.Host);
        Assert.Null(principal[DavNames.AddressbookHomeSet]); // in a 404 propstat
    }

    [Fact]
    public void ResponsesForAnotherOriginAreDropped()
    {
        const string body = """
            <?xml version="1.0"?>
            <d:multistatus xmlns:d="DAV:"><d:response><d:href>https://evil.example/steal/</d:href><d:status>HTTP/1.1 200 OK</d:status></d:response>
            <d:response><d:href>/ok/</d:href><d:status>HTTP/1.1 200 OK</d:status></d:response></d:multistatus>
            """;
        var resource = Assert.Single(Multistatus.Parse(body, new Uri("https://dav.example.test/home/")));
        Assert.Equal("https://dav.example.test/ok/", resource.Href.AbsoluteUri);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><d:multistatus xmlns:d=\"DAV:\">&x;</d:multistatus>")]
    [InlineData("<html><body>Login</body></html>")]
    [InlineData("<d:multistatus xmlns:d=\"DAV:\"><d:response>")]
    [InlineData("")]
    public void AnythingButAMultistatusIsAFormatException(string body)
    {
        var failure = Assert.Throws<FormatException>(() => Multistatus.Parse(body, new Uri("https://dav.example.test/")));
        Assert.DoesNotContain("root:", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestBodiesEscapeNamesFromTheSource()
    {
        var body = DavBodies.Mkcalendar("</d:displayname><d:evil/>&");
        Assert.Contains("&lt;/d:displayname&gt;&lt;d:evil/&gt;&amp;", body, StringComparison.Ordinal);
        var multiget = DavBodies.Multiget(ItemKind.Calendar, [new Uri("https://dav.example.test/a/b%20c.ics")]);
        Assert.Contains("<d:href>/a/b%20c.ics</d:href>", multiget, StringComparison.Ordinal);
        Assert.Contains("calendar-multiget", multiget, StringComparison.Ordinal);
    }
}
