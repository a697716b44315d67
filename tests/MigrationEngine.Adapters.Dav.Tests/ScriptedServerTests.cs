using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>
/// The adapter against recorded answers (Nextcloud/sabre, iCloud) and against the failures and hostile answers real
/// servers give rarely: foreign redirects, homes on other hosts, 5xx with Retry-After, login pages, refused PUTs.
/// </summary>
[Trait("Category", "Server")]
public sealed class ScriptedServerTests
{
    private const string Password = "S3cret-pw-do-not-leak";

    private static string Transcript(string name) => DavTranscripts.Read(name);

    private static MailboxContext Context(ScriptedDavServer server, string path = "", EndpointRole role = EndpointRole.Source)
    {
        Environment.SetEnvironmentVariable("DAV_SCRIPTED_PW", Password);
        return DavTestPlans.Context(DavTestPlans.Endpoint(role, server.BaseUrl + path, "alice", "env:DAV_SCRIPTED_PW"), "alice@example.test");
    }

    private static string Principal(string principal) => $"""
        <?xml version="1.0"?>
        <d:multistatus xmlns:d="DAV:"><d:response><d:href>/remote.php/dav/</d:href><d:propstat><d:prop><d:current-user-principal><d:href>{principal}</d:href></d:current-user-principal></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>
        """;

    [Fact]
    public async Task NextcloudShapedDiscoveryFindsEventCalendarsOnly()
    {
        using var server = new ScriptedDavServer(request => request.Path switch
        {
            "/remote.php/dav" or "/remote.php/dav/" => ScriptedAnswer.Multistatus(Principal("/remote.php/dav/principals/users/alice/")),
            "/remote.php/dav/principals/users/alice/" => ScriptedAnswer.Multistatus(Transcript("sabre-nextcloud-principal.xml")),
            "/remote.php/dav/calendars/users/alice/" => ScriptedAnswer.Multistatus(Transcript("sabre-nextcloud-calendars.xml")),
            _ => new ScriptedAnswer(404),
        });

        await using var source = await new DavSourceFactory().OpenAsync(Context(server, "remote.php/dav"), CancellationToken.None);
        var calendars = await source.ListCollectionsAsync(ItemKind.Calendar, CancellationToken.None);

        Assert.Equal(["", "Work & travel"], calendars.Select(c => c.Path));
        Assert.Equal("Personal", calendars[0].DisplayName);
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:" + Password));
        Assert.All(server.Requests, r => Assert.Equal("Basic " + basic, r.Authorization));
        Assert.Equal(["PROPFIND /remote.php/dav 0", "PROPFIND /remote.php/dav/principals/users/alice/ 0", "PROPFIND /remote.php/dav/calendars/users/alice/ 1"],
            server.Requests.Select(r => $"{r.Method} {r.Path} {r.Depth}"));
    }

    [Fact]
    public async Task ARedirectToAnotherOriginIsNotFollowed()
    {
        using var server = new ScriptedDavServer(_ => new ScriptedAnswer(301, "", new Dictionary<string, string> { ["Location"] = "https://collector.example/dav/" }));

        var failure = await Assert.ThrowsAsync<MigrationException>(() => new DavSourceFactory().OpenAsync(Context(server), CancellationToken.None));

        Assert.Equal("MIG1675", failure.Diagnostic.Code);
        Assert.Contains("https://collector.example", failure.Diagnostic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.ToString(), StringComparison.Ordinal);
        Assert.Single(server.Requests); // the first well-known URI; nothing after the refused redirect
    }

    [Fact]
    public async Task AHomeOnAnotherHostIsNamedNotFollowed()
    {
        using var server = new ScriptedDavServer(request => ScriptedAnswer.Multistatus(Transcript("icloud-principal.xml")));

        var failure = await Assert.ThrowsAsync<MigrationException>(() => new DavSourceFactory().OpenAsync(Context(server), CancellationToken.None));

        Assert.Equal("MIG1676", failure.Diagnostic.Code);
        Assert.Contains("p42-caldav.icloud.com", failure.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnavailableServerIsTransientAndSaysHowLongToWait()
    {
        using var server = new ScriptedDavServer(_ => new ScriptedAnswer(503, "", new Dictionary<string, string> { ["Retry-After"] = "7" }));

        var failure = await Assert.ThrowsAsync<MigrationException>(() => new DavSourceFactory().OpenAsync(Context(server), CancellationToken.None));

        Assert.Equal("MIG1672", failure.Diagnostic.Code);
        Assert.True(failure.Transient);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
    }

    [Fact]
    public async Task ARefusedLoginNamesTheUserNotThePassword()
    {
        using var server = new ScriptedDavServer(_ => new ScriptedAnswer(401, "", new Dictionary<string, string> { ["WWW-Authenticate"] = "Basic realm=\"x\"" }));

        var failure = await Assert.ThrowsAsync<MigrationException>(() => new DavSourceFactory().OpenAsync(Context(server), CancellationToken.None));

        Assert.Equal("MIG1670", failure.Diagnostic.Code);
        Assert.False(failure.Transient);
        Assert.Contains("'alice'", failure.Diagnostic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.ToString() + failure.Diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoginPageInsteadOfAMultistatusIsCoded()
    {
        using var server = new ScriptedDavServer(_ => new ScriptedAnswer(207, "<html><body><form>Sign in</form></body></html>"));

        var failure = await Assert.ThrowsAsync<MigrationException>(() => new DavSourceFactory().OpenAsync(Context(server), CancellationToken.None));

        Assert.Equal("MIG1677", failure.Diagnostic.Code);
    }

    [Fact]
    public async Task RefusedPutsAreBadItemsWithTheServersPrecondition()
    {
        const string home = "/dav/alice/";
        using var server = new ScriptedDavServer(request => (request.Method, request.Path) switch
        {
            ("PROPFIND", "/dav/" or "/.well-known/carddav" or "/.well-known/caldav") => ScriptedAnswer.Multistatus($"""
                <?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:href>/dav/</d:href><d:propstat><d:prop>
                <card:addressbook-home-set><d:href>{home}</d:href></card:addressbook-home-set><c:calendar-home-set><d:href>{home}</d:href></c:calendar-home-set>
                </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>
                """),
            ("PUT", _) when request.Body.Contains("UID:taken", StringComparison.Ordinal) => new ScriptedAnswer(403,
                "<?xml version=\"1.0\"?><d:error xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><c:no-uid-conflict><d:href>/dav/alice/calendar/other.ics</d:href></c:no-uid-conflict></d:error>"),
            ("PUT", _) => new ScriptedAnswer(415),
            _ => new ScriptedAnswer(404),
        });

        await using var target = await new DavTargetFactory().OpenAsync(Context(server, "dav/", EndpointRole.Target), CancellationToken.None);
        var collection = new PimTargetCollection(ItemKind.Calendar, "", server.BaseUrl + "dav/alice/calendar/");
        var taken = DavSource.ToItem(ItemKind.Calendar, new DavObject(new Uri(server.BaseUrl + "x.ics"), null, Samples.AllDay().Replace(Samples.AllDayUid, "taken", StringComparison.Ordinal), 200));
        var odd = DavSource.ToItem(ItemKind.Calendar, new DavObject(new Uri(server.BaseUrl + "y.ics"), null, Samples.Meeting(), 200));

        var conflict = await target.WriteAsync(collection, taken, null, CancellationToken.None);
        var unsupported = await target.WriteAsync(collection, odd, null, CancellationToken.None);

        Assert.Equal($"HTTP 403 (no-uid-conflict) from http://127.0.0.1:{server.Port}", conflict.RejectionReason);
        Assert.StartsWith("HTTP 415", unsupported.RejectionReason, StringComparison.Ordinal);
        var puts = server.Requests.Where(r => r.Method == "PUT").ToList();
        Assert.All(puts, p => Assert.Equal("*", p.Headers["If-None-Match"]));
        Assert.All(puts, p => Assert.Matches("^/dav/alice/calendar/me-[0-9a-f]{40}\\.ics$", p.Path));
    }
}
