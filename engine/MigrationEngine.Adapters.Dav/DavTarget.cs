using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Dav;

/// <summary>
/// Writes contacts and events to a CardDAV/CalDAV server. Each item is one resource named after a hash of its key; the
/// key and the source content hash travel inside the item (X-MIGRATIONENGINE-KEY/-HASH), so a run without state finds
/// what an earlier one wrote and replaces a changed item in place. PUT with If-None-Match: * creates, If-Match: etag
/// replaces (RFC 4918 / RFC 9110 conditional requests; RFC 6352 section 6.3.2, RFC 4791 section 5.3.2): never a blind overwrite.
/// </summary>
internal sealed class DavTarget(DavSession session) : IPimTarget
{
    /// <summary>Segment of the default collection the target creates when the home has none of that kind.</summary>
    internal static string DefaultSegment(ItemKind kind) => kind == ItemKind.Contacts ? "contacts" : "calendar";

    /// <summary>Etags seen by listing or writing, per resource key: the If-Match of the next replacement.</summary>
    private readonly ConcurrentDictionary<string, string> _etags = new(StringComparer.Ordinal);


    private DavSettings Settings => session.Settings;

    public async Task<PimTargetCollection> EnsureCollectionAsync(PimCollection collection, CancellationToken cancellationToken)
    {
        var kind = collection.Kind;
        var existing = await session.CollectionsAsync(kind, cancellationToken);
        var home = await session.HomeAsync(kind, cancellationToken);
        var segment = collection.IsDefault ? DefaultSegment(kind) : Slug(collection.Path);
        var wanted = new Uri(home, Uri.EscapeDataString(segment) + "/");
        var found = existing.FirstOrDefault(c => Multistatus.SameResource(c.Href, wanted))
            ?? (collection.IsDefault ? DefaultOf(existing) : existing.FirstOrDefault(c => c.DisplayName == ShownName(collection) || c.DisplayName == collection.Path));
        if (found is not null)
        {
            return new PimTargetCollection(kind, collection.Path, found.Href.AbsoluteUri);
        }

        var displayName = collection.IsDefault ? (kind == ItemKind.Contacts ? "Contacts" : "Calendar") : ShownName(collection);
        var request = kind == ItemKind.Contacts
            ? new DavRequest(DavRequest.Mkcol, wanted, "MKCOL address book") { Body = DavBodies.MkcolAddressbook(displayName) }
            : new DavRequest(DavRequest.Mkcalendar, wanted, "MKCALENDAR") { Body = DavBodies.Mkcalendar(displayName) };
        var answer = await session.Http.SendAsync(request, cancellationToken);
        // 405: the name is taken, by a collection another run made a moment ago (checked below) or by something else.
        if (!answer.IsSuccess && !(answer.Status == 405 && (await session.CollectionsAsync(kind, cancellationToken)).Any(c => Multistatus.SameResource(c.Href, wanted))))
        {
            throw new MigrationException(Diagnose.DavCollectionCreateFailed(Settings.Context.Endpoint.Location,
                kind == ItemKind.Contacts ? "address book" : "calendar", displayName, Settings.Address, Settings.Origin, answer.Status,
                    hint: "the user may lack the right to create collections in the home set; create it by hand or map to an existing one"));
        }

        return new PimTargetCollection(kind, collection.Path, wanted.AbsoluteUri);
    }

    /// <summary>The name users see: the source's display name where it has one (a DAV source's, with its '/'), else the path.</summary>
    private static string ShownName(PimCollection collection) => collection.DisplayName ?? collection.Path;

    /// <summary>
    /// The user's default collection of a kind: one with a default's name (as the source reads them), else the only one
    /// that this target did not make for a named source collection; null when there is none (then it is created).
    /// </summary>
    private static DavCollection? DefaultOf(IReadOnlyList<DavCollection> existing)
    {
        var named = existing.FirstOrDefault(c => DavKinds.DefaultNames.Contains(DavSource.LastSegment(c.Href), StringComparer.OrdinalIgnoreCase));
        var others = existing.Where(c => !MadeForANamedCollection(DavSource.LastSegment(c.Href))).ToList();
        return named ?? (others.Count == 1 ? others[0] : null);
    }

    public async Task<IReadOnlyList<PimTargetItem>> ListItemsAsync(PimTargetCollection collection, CancellationToken cancellationToken)
    {
        var href = new Uri(collection.NativeId);
        // Every resource, not only events: an item this target wrote is found whatever it holds.
        var entries = await session.ListAsync(href, eventsOnly: false, cancellationToken);
        var items = new List<PimTargetItem>();
        await foreach (var resource in session.MultigetAsync(collection.Kind, href, entries.Select(e => e.Href).ToList(), cancellationToken))
        {
            if (resource.Data is null)
            {
                continue;
            }

            if (resource.ETag is { } etag)
            {
                _etags[Multistatus.Key(resource.Href)] = etag;
            }

            var (key, hash) = DavItemText.ReadMarkers(resource.Data);
            key ??= DavItemText.KeyOf(collection.Kind, resource.Data);
            if (key is not null)
            {
                items.Add(new PimTargetItem(key, resource.Href.AbsoluteUri, hash));
            }
        }

        return items;
    }

    public async Task<PimWriteResult> WriteAsync(PimTargetCollection collection, PimItem item, string? existingTargetId, CancellationToken cancellationToken)
    {
        var collectionHref = new Uri(collection.NativeId);
        var text = DavItemText.WithMarkers(item.Kind, item.Text, item.Key, item.ContentHash);
        var own = new Uri(collectionHref, DavItemText.ResourceName(item.Kind, item.Key));
        var existing = existingTargetId is not null && Uri.TryCreate(existingTargetId, UriKind.Absolute, out var e) && Inside(collectionHref, e) ? e : null;
        if (existing is not null)
        {
            var etag = _etags.GetValueOrDefault(Multistatus.Key(existing)) ?? await session.ETagAsync(existing, cancellationToken);
            if (etag is not null)
            {
                return await PutAsync(existing, text, item, ("If-Match", etag), cancellationToken);
            }
        }

        var created = await PutAsync(own, text, item, ("If-None-Match", "*"), cancellationToken);
        if (created.RejectionReason is { } reason && reason.StartsWith("HTTP 412", StringComparison.Ordinal)
            && await session.ETagAsync(own, cancellationToken) is { } ownEtag)
        {
            // The name is the hash of the key, so the resource there is this item from an earlier run that stopped before
            // its state was saved: replace it.
            return await PutAsync(own, text, item, ("If-Match", ownEtag), cancellationToken);
        }

        return created;
    }

    private async Task<PimWriteResult> PutAsync(Uri href, string text, PimItem item, (string Name, string Value) condition, CancellationToken cancellationToken)
    {
        var request = new DavRequest(HttpMethod.Put, href, "PUT " + (item.Kind == ItemKind.Contacts ? "vCard" : "event"))
        {
            Body = text,
            ContentType = DavItemText.ContentType(item.Kind),
            Headers = [condition],
        };
        var answer = await session.Http.SendAsync(request, cancellationToken);
        if (answer.IsSuccess)
        {
            if (answer.ETag is { } etag)
            {
                _etags[Multistatus.Key(href)] = etag;
            }
            else
            {
                // RFC 4791 section 5.3.4: a server that changed the data sends no ETag; ask for it on the next replacement.
                _etags.TryRemove(Multistatus.Key(href), out _);
            }

            return new PimWriteResult(href.AbsoluteUri);
        }

        if (answer.Status is 400 or 403 or 409 or 412 or 413 or 415 or 422 or 507)
        {
            return new PimWriteResult(null, $"HTTP {answer.Status}{Precondition(answer.Body)} from {Settings.Origin}");
        }

        throw session.Refused(request, answer);
    }

    /// <summary>The precondition a DAV:error body names (RFC 4918 section 16, e.g. CALDAV:no-uid-conflict), never the body itself.</summary>
    private static string Precondition(string body)
    {
        if (body.Length == 0 || body.Length > 64 * 1024)
        {
            return "";
        }

        try
        {
            var root = XDocument.Parse(body).Root;
            var names = root?.Name == DavNames.DavNs + "error" ? root.Elements().Select(e => e.Name.LocalName).Take(3).ToList() : [];
            return names.Count == 0 ? "" : " (" + string.Join(", ", names) + ")";
        }
        catch (System.Xml.XmlException)
        {
            return "";
        }
    }

    private static bool Inside(Uri collection, Uri resource) =>
        Multistatus.Key(resource).StartsWith(Multistatus.Key(collection) + "/", StringComparison.Ordinal)
        && !Multistatus.Key(resource)[(Multistatus.Key(collection).Length + 1)..].Contains('/', StringComparison.Ordinal);

    /// <summary>A segment <see cref="Slug"/> makes: letters, digits and '-', then ten hex digits of the name's hash.</summary>
    internal static bool MadeForANamedCollection(string segment) =>
        System.Text.RegularExpressions.Regex.IsMatch(segment, "^([a-z0-9-]{1,40}-)?[0-9a-f]{10}$");

    /// <summary>
    /// A collection's path segment: its name's letters and digits (at most 40) and a hash of the whole name, so that two
    /// names never share a segment and a name from the source never becomes a path.
    /// </summary>
    internal static string Slug(string path)
    {
        var letters = new string(path.Where(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-').Take(40).ToArray()).ToLowerInvariant();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..10];
        return (letters.Length > 0 ? letters + "-" : "") + hash;
    }

    public ValueTask DisposeAsync()
    {
        session.Dispose();
        return ValueTask.CompletedTask;
    }
}
