using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using static MigrationEngine.Adapters.Dav.DavNames;

namespace MigrationEngine.Adapters.Dav;

/// <summary>An address book or calendar found in a home set.</summary>
internal sealed record DavCollection(Uri Href, ItemKind Kind, string? DisplayName);

/// <summary>A resource of a collection as listed (href and etag), before its data is read.</summary>
internal sealed record DavEntry(Uri Href, string? ETag);

/// <summary>A resource read with its data by a multiget; <see cref="Data"/> is null when the server sent none.</summary>
internal sealed record DavObject(Uri Href, string? ETag, string? Data, int Status);

/// <summary>
/// One mailbox's DAV account: discovery (RFC 6764, RFC 5397, RFC 6352, RFC 4791) done once and kept, and the listing and
/// multiget requests both directions use.
/// </summary>
internal sealed class DavSession(DavHttp http) : IDisposable
{
    /// <summary>Hrefs per multiget: a few hundred KB of vCards or events per answer, and few round trips.</summary>
    public const int MultigetBatch = 50;

    private (Uri? Contacts, Uri? Calendar)? _homes;

    public DavHttp Http { get; } = http;

    public DavSettings Settings => Http.Settings;

    /// <summary>
    /// Finds the principal and its home sets. RFC 6764 section 6: start at the well-known URI of the service (section 5:
    /// /.well-known/carddav and /.well-known/caldav, which may redirect) or at the URL the user gave, and PROPFIND
    /// DAV:current-user-principal there (RFC 5397 section 3); then ask the principal for CARDDAV:addressbook-home-set
    /// (RFC 6352 section 7.1.1) and CALDAV:calendar-home-set (RFC 4791 section 6.2.1). A server that puts the home sets on
    /// the context path without RFC 5397 is taken as it is.
    /// </summary>
    public async Task<(Uri? Contacts, Uri? Calendar)> HomesAsync(CancellationToken cancellationToken)
    {
        if (_homes is { } known)
        {
            return known;
        }

        var tried = new List<string>();
        foreach (var context in ContextCandidates())
        {
            var found = await AskAsync(context, Depth0("PROPFIND current-user-principal", CurrentUserPrincipal, AddressbookHomeSet, CalendarHomeSet), cancellationToken);
            if (found is null)
            {
                tried.Add(context.AbsolutePath);
                continue;
            }

            var (resource, at) = found.Value;
            var principal = resource.Hrefs(CurrentUserPrincipal, at).FirstOrDefault();
            if (principal is not null && !Multistatus.SameResource(principal, resource.Href))
            {
                var onPrincipal = await AskAsync(principal, Depth0("PROPFIND home sets", AddressbookHomeSet, CalendarHomeSet), cancellationToken);
                if (onPrincipal is { } p)
                {
                    (resource, at) = p;
                }
            }

            var homes = (SameOrigin(resource.Hrefs(AddressbookHomeSet, at)), SameOrigin(resource.Hrefs(CalendarHomeSet, at)));
            if (homes.Item1 is not null || homes.Item2 is not null)
            {
                _homes = homes;
                return homes;
            }

            tried.Add(context.AbsolutePath);
        }

        throw new MigrationException(Diagnose.DavDiscoveryFailed(Settings.Context.Endpoint.Location, Settings.Origin, Settings.Address,
            "principal or home set", "asked " + string.Join(", ", tried.Distinct(StringComparer.Ordinal)),
                hint: "give the url of the server's DAV root (e.g. https://host/remote.php/dav for Nextcloud)"));
    }

    /// <summary>
    /// The first home on the endpoint's origin. A home elsewhere (iCloud names a partition host such as
    /// p42-caldav.icloud.com) is not followed, since the password would go with it: MIG1676 names that origin to put in the plan.
    /// </summary>
    private Uri? SameOrigin(IReadOnlyList<Uri> homes)
    {
        var elsewhere = homes.FirstOrDefault(h => !string.Equals(h.GetLeftPart(UriPartial.Authority), Settings.Origin, StringComparison.OrdinalIgnoreCase));
        var here = homes.FirstOrDefault(h => !ReferenceEquals(h, elsewhere) && string.Equals(h.GetLeftPart(UriPartial.Authority), Settings.Origin, StringComparison.OrdinalIgnoreCase));
        if (here is null && elsewhere is not null)
        {
            throw new MigrationException(Diagnose.DavDiscoveryFailed(Settings.Context.Endpoint.Location,
                Settings.Origin, Settings.Address, "home set on this server", "the principal names a home on " + elsewhere.GetLeftPart(UriPartial.Authority),
                    hint: $"if {elsewhere.GetLeftPart(UriPartial.Authority)} is the same provider, give it as the url"));
        }

        return here;
    }

    /// <summary>The home of one kind; MIG1676 when the server has none (a CalDAV-only server asked for contacts).</summary>
    public async Task<Uri> HomeAsync(ItemKind kind, CancellationToken cancellationToken)
    {
        var (contacts, calendar) = await HomesAsync(cancellationToken);
        return (kind == ItemKind.Contacts ? contacts : calendar) ?? throw new MigrationException(Diagnose.DavDiscoveryFailed(
            Settings.Context.Endpoint.Location,
            Settings.Origin, Settings.Address, kind == ItemKind.Contacts ? "addressbook-home-set (CardDAV)" : "calendar-home-set (CalDAV)",
            "the principal does not name one", hint: "the server does not offer this kind: leave it out of the migration's items"));
    }

    /// <summary>
    /// The address books or calendars in the home (PROPFIND Depth 1). Calendars whose supported-calendar-component-set
    /// (RFC 4791 section 5.2.3; absent means every component) leaves out VEVENT are task lists or journals: skipped.
    /// </summary>
    public async Task<IReadOnlyList<DavCollection>> CollectionsAsync(ItemKind kind, CancellationToken cancellationToken)
    {
        var home = await HomeAsync(kind, cancellationToken);
        var request = new DavRequest(DavRequest.Propfind, home, "PROPFIND collections")
        {
            Depth = "1",
            Body = DavBodies.Propfind(ResourceType, DisplayName, SupportedComponents),
        };
        var collections = new List<DavCollection>();
        foreach (var resource in await MultistatusAsync(request, cancellationToken))
        {
            if (Multistatus.SameResource(resource.Href, home) || !resource.HasResourceType(kind == ItemKind.Contacts ? Addressbook : Calendar))
            {
                continue;
            }

            if (kind == ItemKind.Calendar && resource[SupportedComponents] is { } components
                && !components.Elements(CalDav + "comp").Any(c => string.Equals((string?)c.Attribute("name"), "VEVENT", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            collections.Add(new DavCollection(resource.Href, kind, resource.Text(DisplayName)?.Trim()));
        }

        return collections.OrderBy(c => c.Href.AbsolutePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Hrefs and etags of a collection's items: PROPFIND Depth 1 (every resource), or with <paramref name="eventsOnly"/> a
    /// calendar-query that names the resources holding a VEVENT.
    /// </summary>
    public async Task<IReadOnlyList<DavEntry>> ListAsync(Uri collection, bool eventsOnly, CancellationToken cancellationToken)
    {
        var request = eventsOnly
            ? new DavRequest(DavRequest.Report, collection, "REPORT calendar-query") { Depth = "1", Body = DavBodies.EventQuery() }
            : new DavRequest(DavRequest.Propfind, collection, "PROPFIND collection members") { Depth = "1", Body = DavBodies.Propfind(ResourceType, GetETag) };
        var prefix = Multistatus.Key(collection) + "/";
        return (await MultistatusAsync(request, cancellationToken))
            .Where(r => r.Status is >= 200 and < 300 && !r.IsCollection && Multistatus.Key(r.Href).StartsWith(prefix, StringComparison.Ordinal))
            .Select(r => new DavEntry(r.Href, r.Text(GetETag)))
            .ToList();
    }

    /// <summary>The data of the given resources, read by multiget in batches of <see cref="MultigetBatch"/>; hrefs not asked for are ignored.</summary>
    public async IAsyncEnumerable<DavObject> MultigetAsync(ItemKind kind, Uri collection, IReadOnlyList<Uri> hrefs,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var data = kind == ItemKind.Contacts ? AddressData : CalendarData;
        foreach (var batch in hrefs.Chunk(MultigetBatch))
        {
            var asked = batch.ToDictionary(Multistatus.Key, StringComparer.Ordinal);
            var request = new DavRequest(DavRequest.Report, collection, kind == ItemKind.Contacts ? "REPORT addressbook-multiget" : "REPORT calendar-multiget")
            {
                Depth = "1",
                Body = DavBodies.Multiget(kind, batch),
            };
            foreach (var resource in await MultistatusAsync(request, cancellationToken))
            {
                if (asked.Remove(Multistatus.Key(resource.Href), out var href))
                {
                    yield return new DavObject(href, resource.Text(GetETag), resource.Text(data), resource.Status);
                }
            }
        }
    }

    /// <summary>The etag of one resource now (PROPFIND Depth 0), or null when it is gone.</summary>
    public async Task<string?> ETagAsync(Uri href, CancellationToken cancellationToken)
    {
        var found = await AskAsync(href, Depth0("PROPFIND getetag", GetETag), cancellationToken);
        return found?.Resource.Text(GetETag);
    }

    /// <summary>Sends a request that must answer 207 and reads its multistatus; any other answer is MIG1674, an unreadable body MIG1677.</summary>
    public async Task<IReadOnlyList<DavResource>> MultistatusAsync(DavRequest request, CancellationToken cancellationToken)
    {
        var answer = await Http.SendAsync(request, cancellationToken);
        if (answer.Status != 207)
        {
            throw Refused(request, answer);
        }

        return Parse(request, answer);
    }

    public MigrationException Refused(DavRequest request, DavAnswer answer) =>
        new(Diagnose.DavRequestRefused(Settings.Context.Endpoint.Location,
            Settings.Origin, request.What, answer.RequestUri.AbsolutePath, Settings.Address, answer.Status));

    private IReadOnlyList<DavResource> Parse(DavRequest request, DavAnswer answer)
    {
        try
        {
            return Multistatus.Parse(answer.Body, answer.RequestUri);
        }
        catch (FormatException ex)
        {
            throw new MigrationException(Diagnose.DavAnswerInvalid(Settings.Context.Endpoint.Location,
                Settings.Origin, request.What, Settings.Address, ex.Message));
        }
    }

    /// <summary>A Depth 0 PROPFIND that may fail softly: null when the resource answers 403, 404, 405 or 501 (try elsewhere).</summary>
    private async Task<(DavResource Resource, Uri At)?> AskAsync(Uri uri, DavRequest template, CancellationToken cancellationToken)
    {
        var request = template with { Uri = uri };
        var answer = await Http.SendAsync(request, cancellationToken);
        if (answer.Status is 403 or 404 or 405 or 501)
        {
            return null;
        }

        if (answer.Status != 207)
        {
            throw Refused(request, answer);
        }

        var resources = Parse(request, answer);
        var resource = resources.FirstOrDefault(r => Multistatus.SameResource(r.Href, answer.RequestUri)) ?? resources.FirstOrDefault();
        return resource is null ? null : (resource, answer.RequestUri);
    }

    private DavRequest Depth0(string what, params System.Xml.Linq.XName[] properties) =>
        new(DavRequest.Propfind, Settings.BaseUrl, what) { Depth = "0", Body = DavBodies.Propfind(properties), FollowRedirects = true };

    /// <summary>The URL given first, unless it is the bare origin: then the well-known URIs first (RFC 6764 section 5).</summary>
    private IEnumerable<Uri> ContextCandidates()
    {
        var origin = new Uri(Settings.Origin + "/");
        var wellKnown = new[] { new Uri(origin, ".well-known/carddav"), new Uri(origin, ".well-known/caldav") };
        var given = Settings.BaseUrl;
        var candidates = given.AbsolutePath == "/" ? [.. wellKnown, given] : new[] { given }.Concat(wellKnown);
        return candidates.DistinctBy(Multistatus.Key);
    }

    public void Dispose() => Http.Dispose();
}
