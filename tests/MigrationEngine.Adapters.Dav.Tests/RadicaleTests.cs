using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Dav.Tests;

[Collection(RadicaleCollection.Name)]
[Trait("Category", "Server")]
public sealed class RadicaleTests(RadicaleFixture radicale)
{
    private static readonly ItemKind[] Both = [ItemKind.Contacts, ItemKind.Calendar];

    [Fact]
    public async Task DiscoveryFindsTheHomesThroughTheWellKnownUrisAndListsOnlyEventCalendars()
    {
        var user = radicale.NewUser();
        using var raw = new RawDav(radicale, user);
        Assert.Equal(201, await raw.MakeAddressbookAsync("friends", "Friends"));
        Assert.Equal(201, await raw.MakeCalendarAsync("work", "Work"));
        Assert.Equal(201, await raw.MakeCalendarAsync("tasks", "Tasks", "VTODO"));
        Assert.Equal(201, await raw.MakeCalendarAsync("mixed", "Mixed", "VEVENT,VTODO"));

        // The bare origin: /.well-known/carddav redirects to /, whose current-user-principal names the user's principal.
        using var session = new DavSession(new DavHttp(DavSettings.From(DavTestPlans.Source(radicale, user))));
        var (contacts, calendar) = await session.HomesAsync(CancellationToken.None);
        Assert.Equal(raw.Home, Uri.UnescapeDataString(contacts!.AbsolutePath));
        Assert.Equal(raw.Home, Uri.UnescapeDataString(calendar!.AbsolutePath));

        await using var source = await DavTestPlans.OpenSourceAsync(radicale, user);
        var books = await source.ListCollectionsAsync(ItemKind.Contacts, CancellationToken.None);
        var calendars = await source.ListCollectionsAsync(ItemKind.Calendar, CancellationToken.None);
        var book = Assert.Single(books);
        Assert.True(book.IsDefault); // a user's only address book is the default one
        Assert.Equal("Friends", book.DisplayName);
        Assert.Equal(["Mixed", "Work"], calendars.Select(c => c.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DiscoveryStartsAtAGivenPrincipalUrl()
    {
        var user = radicale.NewUser();
        var context = DavTestPlans.Source(radicale, user, url: radicale.BaseUrl + user.Address + "/");
        using var session = new DavSession(new DavHttp(DavSettings.From(context)));
        var (contacts, _) = await session.HomesAsync(CancellationToken.None);
        Assert.EndsWith("/" + user.Address + "/", Uri.UnescapeDataString(contacts!.AbsolutePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContactsAndEventsArriveOnceAndAReRunWithoutStateCreatesNothing()
    {
        var (from, to) = (radicale.NewUser(), radicale.NewUser());
        await SeedAsync(from);

        await using (var source = await DavTestPlans.OpenSourceAsync(radicale, from))
        await using (var target = await DavTestPlans.OpenTargetAsync(radicale, to))
        {
            var first = await PimCopy.RunAsync(source, target, Both);
            Assert.Equal((5, 0, 0), (first.Created, first.Updated, first.Unchanged));
            Assert.Empty(first.Rejected);
            Assert.Empty(first.Bad);
        }

        // A new run, new connections, no state: the target's own listing says everything is there.
        await using (var source = await DavTestPlans.OpenSourceAsync(radicale, from))
        await using (var target = await DavTestPlans.OpenTargetAsync(radicale, to))
        {
            var second = await PimCopy.RunAsync(source, target, Both);
            Assert.Equal((0, 0, 5), (second.Created, second.Updated, second.Unchanged));
        }

        using var check = new RawDav(radicale, to);
        var books = await check.MembersAsync(check.Home + "contacts/");
        Assert.Equal(2, books.Count);
        var events = await check.MembersAsync(check.Home + "calendar/");
        Assert.Equal(3, events.Count);
        var texts = await Task.WhenAll(events.Select(check.GetAsync));
        var recurring = Assert.Single(texts, t => t.Contains(Samples.RecurringUid, StringComparison.Ordinal));
        Assert.Contains("RRULE:FREQ=WEEKLY", recurring, StringComparison.Ordinal);
        Assert.Contains("RECURRENCE-ID;TZID=Europe/Berlin:20260112T093000", recurring, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:Weekly stand-up (moved)", recurring, StringComparison.Ordinal);
        Assert.Contains("TRIGGER:-PT10M", recurring, StringComparison.Ordinal);
        Assert.Contains(texts, t => t.Contains("DTSTART;VALUE=DATE:20260301", StringComparison.Ordinal));
        var meeting = Assert.Single(texts, t => t.Contains(Samples.MeetingUid, StringComparison.Ordinal));
        Assert.Contains("PARTSTAT=TENTATIVE", meeting, StringComparison.Ordinal);
        Assert.Contains("mailto:ann@example.test", meeting, StringComparison.Ordinal);
        var card = await check.GetAsync(books.First(h => h.Contains("me-", StringComparison.Ordinal)));
        Assert.Contains("PHOTO", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChangedSourceItemIsReplacedNotDuplicated()
    {
        var (from, to) = (radicale.NewUser(), radicale.NewUser());
        await SeedAsync(from);
        await using (var source = await DavTestPlans.OpenSourceAsync(radicale, from))
        await using (var target = await DavTestPlans.OpenTargetAsync(radicale, to))
        {
            await PimCopy.RunAsync(source, target, Both);
        }

        using var seed = new RawDav(radicale, from);
        Assert.InRange(await seed.PutAsync(seed.Home + "calendar/standup.ics", Samples.RecurringWithOverride("Daily stand-up")), 200, 204);
        Assert.InRange(await seed.PutAsync(seed.Home + "contacts/ann.vcf", Samples.Contact("ann-1", "Ann Example", "ann@example.test", "Moved to Hamburg")), 200, 204);

        await using (var source = await DavTestPlans.OpenSourceAsync(radicale, from))
        await using (var target = await DavTestPlans.OpenTargetAsync(radicale, to))
        {
            var again = await PimCopy.RunAsync(source, target, Both);
            Assert.Equal((0, 2, 3), (again.Created, again.Updated, again.Unchanged));
        }

        using var check = new RawDav(radicale, to);
        var events = await check.MembersAsync(check.Home + "calendar/");
        Assert.Equal(3, events.Count);
        var texts = await Task.WhenAll(events.Select(check.GetAsync));
        Assert.Single(texts, t => t.Contains("Daily stand-up", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("Weekly stand-up", StringComparison.Ordinal));
        var cards = await Task.WhenAll((await check.MembersAsync(check.Home + "contacts/")).Select(check.GetAsync));
        Assert.Equal(2, cards.Length);
        Assert.Single(cards, c => c.Contains("Moved to Hamburg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnItemTheUserAlreadyHasUnderItsUidIsReplacedInPlace()
    {
        var (from, to) = (radicale.NewUser(), radicale.NewUser());
        await SeedAsync(from);
        using var theirs = new RawDav(radicale, to);
        Assert.Equal(201, await theirs.MakeCalendarAsync("calendar", "Calendar"));
        Assert.Equal(201, await theirs.PutAsync(theirs.Home + "calendar/made-by-hand.ics", Samples.AllDay()));

        await using var source = await DavTestPlans.OpenSourceAsync(radicale, from);
        await using var target = await DavTestPlans.OpenTargetAsync(radicale, to);
        var result = await PimCopy.RunAsync(source, target, [ItemKind.Calendar]);
        Assert.Empty(result.Rejected);
        Assert.Equal((2, 1), (result.Created, result.Updated));
        var members = await theirs.MembersAsync(theirs.Home + "calendar/");
        Assert.Equal(3, members.Count);
        Assert.Contains(members, m => m.EndsWith("/made-by-hand.ics", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NamedCollectionsKeepTheirNamesAndAreFoundAgainByTheNextRun()
    {
        var (from, to) = (radicale.NewUser(), radicale.NewUser());
        await SeedAsync(from);
        using (var seed = new RawDav(radicale, from))
        {
            Assert.Equal(201, await seed.MakeAddressbookAsync("friends", "Friends &amp; Family"));
            Assert.Equal(201, await seed.MakeCalendarAsync("travel", "Work/Travel"));
            Assert.Equal(201, await seed.PutAsync(seed.Home + "friends/cy.vcf", Samples.Contact("cy-3", "Cy Friend", "cy@example.test")));
            Assert.Equal(201, await seed.PutAsync(seed.Home + "travel/trip.ics", Samples.AllDay().Replace(Samples.AllDayUid, "trip-4", StringComparison.Ordinal)));
        }

        for (var run = 1; run <= 2; run++)
        {
            await using var source = await DavTestPlans.OpenSourceAsync(radicale, from);
            await using var target = await DavTestPlans.OpenTargetAsync(radicale, to);
            var result = await PimCopy.RunAsync(source, target, Both);
            Assert.Equal(run == 1 ? (7, 0) : (0, 7), (result.Created, result.Unchanged));
        }

        await using var check = await DavTestPlans.OpenSourceAsync(radicale, to);
        var books = await check.ListCollectionsAsync(ItemKind.Contacts, CancellationToken.None);
        var calendars = await check.ListCollectionsAsync(ItemKind.Calendar, CancellationToken.None);
        Assert.Equal(["", "Friends & Family"], books.Select(b => b.Path));
        Assert.Equal(["", "Work\u2215Travel"], calendars.Select(c => c.Path));
        Assert.Equal("Work/Travel", calendars[1].DisplayName);
    }

    [Fact]
    public async Task AWrongPasswordIsTheCodedDiagnosticWithoutThePasswordAnywhere()
    {
        var user = radicale.NewUser();
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("DAV_TEST_WRONG_PW", wrong);
        var log = new StringWriter();
        var logger = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new TextSink(log)).CreateLogger();
        var context = DavTestPlans.Context(DavTestPlans.Endpoint(Core.Model.EndpointRole.Source, radicale.BaseUrl), user.Address, "env:DAV_TEST_WRONG_PW", logger);

        var failure = await Assert.ThrowsAsync<MigrationException>(() => new DavSourceFactory().OpenAsync(context, CancellationToken.None));

        Assert.Equal("MIG1670", failure.Diagnostic.Code);
        Assert.False(failure.Transient);
        Assert.Contains(user.Address, failure.Diagnostic.Message, StringComparison.Ordinal);
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user.Address}:{wrong}"));
        foreach (var text in new[] { failure.ToString(), failure.Diagnostic.ToString(), failure.Diagnostic.Hint ?? "", log.ToString(), radicale.ServerLog })
        {
            Assert.DoesNotContain(wrong, text, StringComparison.Ordinal);
            Assert.DoesNotContain(basic, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HostileUidsStayInsideTheirCollection()
    {
        var to = radicale.NewUser();
        await using var target = await DavTestPlans.OpenTargetAsync(radicale, to);
        var collection = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Contacts, "../../Escape/attempt"), CancellationToken.None);
        var hostile = new[] { "../../x", "/etc/passwd", new string('u', 5000), "a/b\\c%2F..%2F" };
        foreach (var uid in hostile)
        {
            var item = DavSource.ToItem(ItemKind.Contacts, new DavObject(new Uri(radicale.BaseUrl + "x"), null, Samples.Contact(uid, "Eve Hostile", "eve@example.test"), 200));
            var result = await target.WriteAsync(collection, item, existingTargetId: null, CancellationToken.None);
            Assert.False(result.Rejected, result.RejectionReason);
            Assert.StartsWith(collection.NativeId, result.TargetId!, StringComparison.Ordinal);
            Assert.DoesNotContain("/", result.TargetId![collection.NativeId.Length..], StringComparison.Ordinal);
        }

        var listed = await target.ListItemsAsync(collection, CancellationToken.None);
        Assert.Equal(hostile.Order(StringComparer.Ordinal), listed.Select(i => i.Key).Order(StringComparer.Ordinal));
        // In Radicale's storage every item file is in the collection's own folder, named by a hash.
        var folder = Uri.UnescapeDataString(new Uri(collection.NativeId).AbsolutePath).Trim('/').Split('/')[^1];
        var files = Directory.GetFiles(radicale.Storage, "me-*", SearchOption.AllDirectories)
            .Where(f => f.Contains(to.Address, StringComparison.Ordinal) && !f.Contains(".Radicale.cache", StringComparison.Ordinal)).ToList();
        Assert.Equal(hostile.Length, files.Count);
        Assert.All(files, f => Assert.Equal(Path.Combine(radicale.Storage, "collection-root", to.Address, folder), Path.GetDirectoryName(f)));
    }

    private Task SeedAsync(DavUser user) => DavSeed.StandardAsync(radicale, user);
}
