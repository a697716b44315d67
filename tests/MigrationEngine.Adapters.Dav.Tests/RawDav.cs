using System.Net.Http.Headers;
using System.Text;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>A plain HTTP client for seeding and inspecting Radicale as another DAV client would, independent of the adapter.</summary>
public sealed class RawDav : IDisposable
{
    private readonly Uri _base;
    private readonly AuthenticationHeaderValue _authorization;

    public RawDav(RadicaleFixture radicale, DavUser user)
    {
        _base = new Uri(radicale.BaseUrl);
        _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user.Address}:{user.Password}")));
        Home = $"/{user.Address}/";
    }

    public string Home { get; }

    public async Task<int> SendAsync(string method, string path, string? body = null, string contentType = "application/xml; charset=utf-8")
    {
        var (status, _) = await SendWithBodyAsync(method, path, body, contentType);
        return status;
    }

    public async Task<(int Status, string Body)> SendWithBodyAsync(string method, string path, string? body = null, string contentType = "application/xml; charset=utf-8", string? depth = null)
    {
        // A client per request: Radicale's HTTP/1.0 server closes every connection, and a pooled one sometimes ends early.
        using var client = new HttpClient { BaseAddress = _base };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = _authorization;
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (depth is not null)
        {
            request.Headers.Add("Depth", depth);
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<int> MakeAddressbookAsync(string segment, string displayName) => SendAsync("MKCOL", Home + segment + "/", $"""
        <?xml version="1.0" encoding="utf-8"?>
        <d:mkcol xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:set><d:prop>
        <d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>{displayName}</d:displayname>
        </d:prop></d:set></d:mkcol>
        """);

    public Task<int> MakeCalendarAsync(string segment, string displayName, string components = "VEVENT") => SendAsync("MKCALENDAR", Home + segment + "/", $"""
        <?xml version="1.0" encoding="utf-8"?>
        <c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>
        <d:displayname>{displayName}</d:displayname>
        <c:supported-calendar-component-set>{string.Concat(components.Split(',').Select(c => $"<c:comp name=\"{c}\"/>"))}</c:supported-calendar-component-set>
        </d:prop></d:set></c:mkcalendar>
        """);

    public Task<int> PutAsync(string path, string text) =>
        SendAsync("PUT", path, text, path.EndsWith(".vcf", StringComparison.Ordinal) ? "text/vcard; charset=utf-8" : "text/calendar; charset=utf-8");

    public async Task<string> GetAsync(string path) => (await SendWithBodyAsync("GET", path)).Body;

    /// <summary>The hrefs of a collection's members (PROPFIND Depth 1), the collection itself left out.</summary>
    public async Task<IReadOnlyList<string>> MembersAsync(string collection)
    {
        var (_, body) = await SendWithBodyAsync("PROPFIND", collection, "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\"><d:prop><d:getetag/></d:prop></d:propfind>", depth: "1");
        var document = System.Xml.Linq.XDocument.Parse(body);
        return document.Descendants(System.Xml.Linq.XName.Get("href", "DAV:")).Select(h => Uri.UnescapeDataString(h.Value))
            .Where(h => h.TrimEnd('/') != Uri.UnescapeDataString(collection).TrimEnd('/')).ToList();
    }

    public void Dispose()
    {
    }
}
