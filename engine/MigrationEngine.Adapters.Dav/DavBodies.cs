using System.Xml.Linq;
using MigrationEngine.Core.Execution;
using static MigrationEngine.Adapters.Dav.DavNames;

namespace MigrationEngine.Adapters.Dav;

/// <summary>
/// Request bodies, built with System.Xml.Linq so that a display name or href from a source is always escaped, never markup.
/// </summary>
internal static class DavBodies
{
    /// <summary>PROPFIND for the named properties (RFC 4918 section 9.1).</summary>
    public static string Propfind(params XName[] properties) =>
        Write(new XElement(DavNs + "propfind", Namespaces(), new XElement(Prop, properties.Select(p => new XElement(p)))));

    /// <summary>
    /// CARDDAV:addressbook-multiget (RFC 6352 section 8.7) or CALDAV:calendar-multiget (RFC 4791 section 7.9): the etag
    /// and the data of many resources in one REPORT.
    /// </summary>
    public static string Multiget(ItemKind kind, IEnumerable<Uri> hrefs)
    {
        var (root, data) = kind == ItemKind.Contacts
            ? (CardDav + "addressbook-multiget", AddressData)
            : (CalDav + "calendar-multiget", CalendarData);
        return Write(new XElement(root, Namespaces(),
            new XElement(Prop, new XElement(GetETag), new XElement(data)),
            hrefs.Select(h => new XElement(Href, h.AbsolutePath))));
    }

    /// <summary>
    /// CALDAV:calendar-query (RFC 4791 section 7.8) for the hrefs and etags of the collection's resources holding a VEVENT:
    /// the comp-filter leaves out task lists' VTODOs and journals sharing a collection with events.
    /// </summary>
    public static string EventQuery() =>
        Write(new XElement(CalDav + "calendar-query", Namespaces(),
            new XElement(Prop, new XElement(GetETag)),
            new XElement(CalDav + "filter",
                new XElement(CalDav + "comp-filter", new XAttribute("name", "VCALENDAR"),
                    new XElement(CalDav + "comp-filter", new XAttribute("name", "VEVENT"))))));

    /// <summary>
    /// Extended MKCOL (RFC 5689 section 3) for an address book, as RFC 6352 section 6.3.1 asks: resourcetype collection and
    /// CARDDAV:addressbook, with its display name.
    /// </summary>
    public static string MkcolAddressbook(string displayName) =>
        Write(new XElement(DavNs + "mkcol", Namespaces(),
            new XElement(DavNs + "set", new XElement(Prop,
                new XElement(ResourceType, new XElement(Collection), new XElement(Addressbook)),
                new XElement(DisplayName, displayName)))));

    /// <summary>MKCALENDAR (RFC 4791 section 5.3.1) with its display name, for events only (supported-calendar-component-set VEVENT).</summary>
    public static string Mkcalendar(string displayName) =>
        Write(new XElement(CalDav + "mkcalendar", Namespaces(),
            new XElement(DavNs + "set", new XElement(Prop,
                new XElement(DisplayName, displayName),
                new XElement(SupportedComponents, new XElement(CalDav + "comp", new XAttribute("name", "VEVENT")))))));

    private static XAttribute[] Namespaces() =>
    [
        new(XNamespace.Xmlns + "d", DavNs.NamespaceName),
        new(XNamespace.Xmlns + "c", CalDav.NamespaceName),
        new(XNamespace.Xmlns + "card", CardDav.NamespaceName),
    ];

    private static string Write(XElement root) =>
        new XDeclaration("1.0", "utf-8", null) + Environment.NewLine + root.ToString(SaveOptions.DisableFormatting);
}
