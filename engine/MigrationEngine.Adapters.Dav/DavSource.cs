using System.Runtime.CompilerServices;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Dav;

/// <summary>
/// Reads a mailbox's address books and event calendars from a CardDAV/CalDAV server. Each resource is one item (RFC 6352
/// section 5.1: one vCard per address object resource; RFC 4791 section 4.1: one UID, with its overridden occurrences,
/// per calendar object resource), read in multiget batches, never one GET per item.
/// </summary>
internal sealed class DavSource(DavSession session) : IPimSource
{

    public async Task<IReadOnlyList<PimCollection>> ListCollectionsAsync(ItemKind kind, CancellationToken cancellationToken)
    {
        var collections = await session.CollectionsAsync(kind, cancellationToken);
        var defaultCollection = collections.Count == 1
            ? collections[0]
            : collections.FirstOrDefault(c => DavKinds.DefaultNames.Contains(LastSegment(c.Href), StringComparer.OrdinalIgnoreCase));
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { PimCollection.DefaultPath };
        var result = new List<PimCollection>();
        foreach (var collection in collections)
        {
            var path = PimCollection.DefaultPath;
            if (!ReferenceEquals(collection, defaultCollection))
            {
                // A display name may hold '/', which Path reads as a level: U+2215 keeps it one level, as mail folders do.
                var name = (collection.DisplayName ?? LastSegment(collection.Href)).Replace('/', '\u2215');
                path = used.Contains(name) ? $"{name} ({LastSegment(collection.Href)})" : name;
            }

            used.Add(path);
            result.Add(new PimCollection(kind, path) { NativeName = collection.Href.AbsoluteUri, DisplayName = collection.DisplayName });
        }

        return result;
    }

    public async IAsyncEnumerable<PimItem> ReadItemsAsync(PimCollection collection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var href = new Uri(collection.NativeName ?? throw new ArgumentException("a DAV collection carries its href", nameof(collection)));
        var entries = await session.ListAsync(href, eventsOnly: collection.Kind == ItemKind.Calendar, cancellationToken);
        var hrefs = entries.Select(e => e.Href).ToList();
        await foreach (var resource in session.MultigetAsync(collection.Kind, href, hrefs, cancellationToken))
        {
            if (resource.Status == 404)
            {
                // Deleted between the listing and the multiget: no longer in the source.
                session.Settings.Context.Logger.Information("DAV resource {Href} was deleted while it was being read", resource.Href.AbsolutePath);
                continue;
            }

            yield return ToItem(collection.Kind, resource);
        }
    }

    internal static PimItem ToItem(ItemKind kind, DavObject resource)
    {
        var sourceId = resource.Href.AbsolutePath;
        var text = resource.Data?.ReplaceLineEndings("\r\n");
        // A resource the server sent no data for is keyed by its href: reported as a bad item, never written.
        var (key, hash) = DavItemText.KeyAndHash(kind, text ?? sourceId);
        return new PimItem
        {
            Kind = kind,
            SourceId = sourceId,
            Key = key,
            ContentHash = hash,
            Text = text ?? "",
            Problem = text is null
                ? $"the server sent no {(kind == ItemKind.Contacts ? "address" : "calendar")} data for it (HTTP {resource.Status})"
                : DavItemText.Problem(kind, text),
        };
    }

    internal static string LastSegment(Uri href) => Uri.UnescapeDataString(href.AbsolutePath.TrimEnd('/').Split('/')[^1]);

    public ValueTask DisposeAsync()
    {
        session.Dispose();
        return ValueTask.CompletedTask;
    }
}

internal static class DavKinds
{
    /// <summary>Last path segments (case-insensitive) that servers give the collection clients treat as the default one.</summary>
    public static readonly string[] DefaultNames = ["default", "contacts", "personal", "calendar", "home", "card", "addressbook"];
}
