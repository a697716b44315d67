using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace MigrationEngine.Adapters.Dav;

/// <summary>The XML names of WebDAV (RFC 4918), CalDAV (RFC 4791) and CardDAV (RFC 6352) this adapter reads and writes.</summary>
internal static class DavNames
{
    public static readonly XNamespace DavNs = "DAV:";
    public static readonly XNamespace CalDav = "urn:ietf:params:xml:ns:caldav";
    public static readonly XNamespace CardDav = "urn:ietf:params:xml:ns:carddav";

    public static readonly XName Multistatus = DavNs + "multistatus";
    public static readonly XName Response = DavNs + "response";
    public static readonly XName Href = DavNs + "href";
    public static readonly XName Status = DavNs + "status";
    public static readonly XName Propstat = DavNs + "propstat";
    public static readonly XName Prop = DavNs + "prop";
    public static readonly XName ResourceType = DavNs + "resourcetype";
    public static readonly XName Collection = DavNs + "collection";
    public static readonly XName DisplayName = DavNs + "displayname";
    public static readonly XName GetETag = DavNs + "getetag";
    public static readonly XName CurrentUserPrincipal = DavNs + "current-user-principal";
    public static readonly XName AddressbookHomeSet = CardDav + "addressbook-home-set";
    public static readonly XName Addressbook = CardDav + "addressbook";
    public static readonly XName AddressData = CardDav + "address-data";
    public static readonly XName CalendarHomeSet = CalDav + "calendar-home-set";
    public static readonly XName Calendar = CalDav + "calendar";
    public static readonly XName CalendarData = CalDav + "calendar-data";
    public static readonly XName SupportedComponents = CalDav + "supported-calendar-component-set";
}

/// <summary>
/// One DAV:response of a multistatus (RFC 4918 section 14.16): its href resolved against the request URI, the status of
/// the response when it has one, and the properties found with a 2xx propstat (those with 404 are absent, not empty).
/// </summary>
internal sealed record DavResource(Uri Href, int Status, IReadOnlyDictionary<XName, XElement> Properties)
{
    public XElement? this[XName name] => Properties.GetValueOrDefault(name);

    public bool IsCollection => this[DavNames.ResourceType]?.Element(DavNames.Collection) is not null;

    public bool HasResourceType(XName type) => this[DavNames.ResourceType]?.Element(type) is not null;

    /// <summary>The text of a property (displayname, getetag, address-data, calendar-data), or null when absent or empty.</summary>
    public string? Text(XName name) => this[name] is { } element && element.Value.Length > 0 ? element.Value : null;

    /// <summary>The DAV:href children of a property (current-user-principal, the home sets), resolved against <paramref name="baseUri"/>.</summary>
    public IReadOnlyList<Uri> Hrefs(XName name, Uri baseUri) =>
        this[name]?.Elements(DavNames.Href).Select(h => Multistatus.Resolve(baseUri, h.Value)).OfType<Uri>().ToList() ?? [];
}

/// <summary>Reads a 207 Multi-Status body. Hostile bodies stay harmless: no DTD, no external entities, hrefs off the origin dropped.</summary>
internal static class Multistatus
{
    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>The responses of the body; <see cref="FormatException"/> when it is not a DAV:multistatus document.</summary>
    public static IReadOnlyList<DavResource> Parse(string body, Uri requestUri)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), ReaderSettings);
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new FormatException($"not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition})");
        }

        if (document.Root?.Name != DavNames.Multistatus)
        {
            throw new FormatException($"the root element is {document.Root?.Name.LocalName ?? "missing"}, not DAV:multistatus");
        }

        var origin = requestUri.GetLeftPart(UriPartial.Authority);
        var resources = new List<DavResource>();
        foreach (var response in document.Root.Elements(DavNames.Response))
        {
            // RFC 4918 14.24: a response holds one href with propstats, or hrefs with one status (e.g. 404 of a multiget).
            var responseStatus = StatusCode(response.Element(DavNames.Status)?.Value);
            foreach (var hrefElement in response.Elements(DavNames.Href))
            {
                var href = Resolve(requestUri, hrefElement.Value);
                if (href is null || !string.Equals(href.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var properties = new Dictionary<XName, XElement>();
                foreach (var propstat in response.Elements(DavNames.Propstat))
                {
                    if (StatusCode(propstat.Element(DavNames.Status)?.Value) is not (>= 200 and < 300))
                    {
                        continue;
                    }

                    foreach (var property in propstat.Element(DavNames.Prop)?.Elements() ?? [])
                    {
                        properties[property.Name] = property;
                    }
                }

                resources.Add(new DavResource(href, responseStatus ?? 200, properties));
            }
        }

        return resources;
    }

    /// <summary>An href (absolute path or absolute URL, RFC 4918 8.3) against the request URI; null when it cannot be one.</summary>
    public static Uri? Resolve(Uri baseUri, string href)
    {
        var trimmed = href.Trim();
        return trimmed.Length > 0 && Uri.TryCreate(baseUri, trimmed, out var resolved) && resolved.Scheme is "http" or "https" ? resolved : null;
    }

    /// <summary>The code of a status line such as "HTTP/1.1 200 OK"; null when missing or malformed.</summary>
    public static int? StatusCode(string? statusLine)
    {
        var parts = statusLine?.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 2 } && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
    }

    /// <summary>Same resource: hrefs compare by scheme, host, port and unescaped path, with or without a trailing slash.</summary>
    public static bool SameResource(Uri a, Uri b) =>
        string.Equals(Key(a), Key(b), StringComparison.Ordinal);

    public static string Key(Uri uri) =>
        uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant() + Uri.UnescapeDataString(uri.AbsolutePath).TrimEnd('/');
}
