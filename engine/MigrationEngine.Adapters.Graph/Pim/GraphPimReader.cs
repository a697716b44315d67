using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;
using MigrationEngine.Core.Execution;
using NodaTime;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>
/// Reads the contacts and calendars of an Exchange Online mailbox back through Graph, as vCard and iCalendar text
/// (<see cref="GraphContactText"/>, <see cref="GraphEventText"/>): the measure of what a copy into Graph kept, and the
/// reading half a <c>graph</c> source of contacts and calendars would use. Read only; it needs Contacts.Read and
/// Calendars.Read. Series exceptions are read from the series' instances up to the end of its range (a series without an
/// end: <see cref="OpenSeriesYears"/> years from its start).
/// </summary>
internal sealed class GraphPimReader : IPimSource
{
    public const int OpenSeriesYears = 5;

    private readonly GraphConnection _connection;
    private readonly string _userId;
    private readonly string _address;

    public GraphPimReader(GraphConnection connection, string userId, string address)
    {
        _connection = connection;
        _userId = userId;
        _address = address;
    }

    private Microsoft.Graph.Users.Item.UserItemRequestBuilder User => _connection.Client.Users[_userId];

    /// <summary>
    /// Contacts: the default folder and every contact folder, nested ones by their path (user-list-contactfolders,
    /// contactfolder-list-childfolders). Calendars: user-list-calendars, the default one (isDefaultCalendar) as the default path.
    /// </summary>
    public async Task<IReadOnlyList<PimCollection>> ListCollectionsAsync(ItemKind kind, CancellationToken cancellationToken)
    {
        var collections = new List<PimCollection> { new(kind, PimCollection.DefaultPath) { NativeName = GraphPimTarget.DefaultId } };
        if (kind == ItemKind.Contacts)
        {
            await AddContactFoldersAsync(collections, null, "", cancellationToken);
            return collections;
        }

        var page = await User.Calendars.GetAsync(r => r.QueryParameters.Top = 100, cancellationToken);
        while (page is not null)
        {
            foreach (var calendar in page.Value ?? [])
            {
                if (calendar.IsDefaultCalendar != true && calendar.Id is not null)
                    collections.Add(new PimCollection(kind, calendar.Name ?? calendar.Id) { NativeName = calendar.Id });
            }

            if (string.IsNullOrEmpty(page.OdataNextLink))
                break;
            page = await User.Calendars.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
        }

        return collections;
    }

    private async Task AddContactFoldersAsync(List<PimCollection> collections, string? parentId, string parentPath, CancellationToken cancellationToken)
    {
        var page = parentId is null
            ? await User.ContactFolders.GetAsync(r => r.QueryParameters.Top = 100, cancellationToken)
            : await User.ContactFolders[parentId].ChildFolders.GetAsync(r => r.QueryParameters.Top = 100, cancellationToken);
        var folders = new List<ContactFolder>();
        while (page is not null)
        {
            folders.AddRange(page.Value ?? []);
            if (string.IsNullOrEmpty(page.OdataNextLink))
                break;
            page = await User.ContactFolders.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
        }

        foreach (var folder in folders.Where(f => f.Id is not null))
        {
            var path = parentPath.Length == 0 ? folder.DisplayName ?? folder.Id! : parentPath + "/" + folder.DisplayName;
            collections.Add(new PimCollection(ItemKind.Contacts, path) { NativeName = folder.Id });
            await AddContactFoldersAsync(collections, folder.Id, path, cancellationToken);
        }
    }

    public IAsyncEnumerable<PimItem> ReadItemsAsync(PimCollection collection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var id = collection.NativeName ?? GraphPimTarget.DefaultId;
        return collection.Kind == ItemKind.Contacts ? ReadContactsAsync(id, cancellationToken) : ReadEventsAsync(id, cancellationToken);
    }

    /// <summary>GET .../contacts (every property, the stamp through $expand), then each contact's photo (profilephoto-get; 404 when it has none).</summary>
    private async IAsyncEnumerable<PimItem> ReadContactsAsync(string folderId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var expand = GraphExtendedProperties.Expand(GraphExtendedProperties.ItemKey);
        var page = folderId == GraphPimTarget.DefaultId
            ? await User.Contacts.GetAsync(r => { r.QueryParameters.Expand = [expand]; r.QueryParameters.Top = 100; }, cancellationToken)
            : await User.ContactFolders[folderId].Contacts.GetAsync(r => { r.QueryParameters.Expand = [expand]; r.QueryParameters.Top = 100; }, cancellationToken);
        while (page is not null)
        {
            foreach (var contact in (page.Value ?? []).Where(c => c.Id is not null))
            {
                var stamp = ItemStamp.Parse(GraphExtendedProperties.ValueOf(contact.SingleValueExtendedProperties, GraphExtendedProperties.ItemKey));
                var photo = await PhotoAsync(contact.Id!, cancellationToken);
                yield return Item(ItemKind.Contacts, contact.Id!, stamp?.Key, GraphContactText.Write(contact, stamp?.Key, photo));
            }

            if (string.IsNullOrEmpty(page.OdataNextLink))
                break;
            page = await User.Contacts.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
        }
    }

    private async Task<byte[]?> PhotoAsync(string contactId, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await User.Contacts[contactId].Photo.Content.GetAsync(cancellationToken: cancellationToken);
            if (stream is null)
                return null;
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// GET .../events (single events and series masters, https://learn.microsoft.com/graph/api/user-list-events) with times
    /// in UTC and bodies as text (Prefer: outlook.timezone="UTC", outlook.body-content-type="text"), then per event its
    /// attendee record (event-get with the documented $expand), its files (event-list-attachments, attachment-get) and, for
    /// a series, its instances (event-list-instances).
    /// </summary>
    private async IAsyncEnumerable<PimItem> ReadEventsAsync(string calendarId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var expand = GraphExtendedProperties.Expand(GraphExtendedProperties.ItemKey);
        void Query(RequestConfiguration<Microsoft.Graph.Users.Item.Calendar.Events.EventsRequestBuilder.EventsRequestBuilderGetQueryParameters> r)
        {
            r.QueryParameters.Expand = [expand];
            r.QueryParameters.Top = 100;
            Prefer(r.Headers);
        }

        void CalendarQuery(RequestConfiguration<Microsoft.Graph.Users.Item.Calendars.Item.Events.EventsRequestBuilder.EventsRequestBuilderGetQueryParameters> r)
        {
            r.QueryParameters.Expand = [expand];
            r.QueryParameters.Top = 100;
            Prefer(r.Headers);
        }

        var page = calendarId == GraphPimTarget.DefaultId
            ? await User.Calendar.Events.GetAsync(Query, cancellationToken)
            : await User.Calendars[calendarId].Events.GetAsync(CalendarQuery, cancellationToken);
        while (page is not null)
        {
            foreach (var graphEvent in (page.Value ?? []).Where(e => e.Id is not null))
            {
                var key = ItemStamp.Parse(GraphExtendedProperties.ValueOf(graphEvent.SingleValueExtendedProperties, GraphExtendedProperties.ItemKey))?.Key;
                var extras = await ExtrasAsync(graphEvent, key, cancellationToken);
                yield return Item(ItemKind.Calendar, graphEvent.Id!, key, GraphEventText.Write(graphEvent, extras, _address));
            }

            if (string.IsNullOrEmpty(page.OdataNextLink))
                break;
            page = await User.Calendar.Events.WithUrl(page.OdataNextLink).GetAsync(r => Prefer(r.Headers), cancellationToken);
        }
    }

    private static void Prefer(RequestHeaders headers)
    {
        headers.Add("Prefer", "outlook.timezone=\"UTC\"");
        headers.Add("Prefer", "outlook.body-content-type=\"text\"");
    }

    private async Task<EventExtras> ExtrasAsync(Event graphEvent, string? key, CancellationToken cancellationToken)
    {
        var withRecord = await User.Events[graphEvent.Id].GetAsync(r =>
        {
            r.QueryParameters.Select = ["id"];
            r.QueryParameters.Expand = [GraphExtendedProperties.Expand(GraphExtendedProperties.Attendees)];
        }, cancellationToken);
        var record = GraphExtendedProperties.ValueOf(withRecord?.SingleValueExtendedProperties, GraphExtendedProperties.Attendees);

        var files = new List<FileAttachment>();
        if (graphEvent.HasAttachments != false)
        {
            var listed = await User.Events[graphEvent.Id].Attachments.GetAsync(r => r.QueryParameters.Select = ["id", "name"], cancellationToken);
            foreach (var attachment in (listed?.Value ?? []).Where(a => a.Id is not null))
            {
                if (await User.Events[graphEvent.Id].Attachments[attachment.Id].GetAsync(cancellationToken: cancellationToken) is FileAttachment file)
                    files.Add(file);
            }
        }

        if (graphEvent.Recurrence is null)
            return new EventExtras(key, record, [], [], files);
        var (exceptions, cancelled) = await InstancesAsync(graphEvent, cancellationToken);
        return new EventExtras(key, record, exceptions, cancelled, files);
    }

    /// <summary>
    /// The series' exceptions (instances of type exception) and its cancelled occurrences: the pattern's occurrences in the
    /// range (expanded by Ical.Net from the RRULE this reader writes) that no instance has as its originalStart.
    /// </summary>
    private async Task<(List<Event> Exceptions, List<DateTimeOffset> Cancelled)> InstancesAsync(Event series, CancellationToken cancellationToken)
    {
        var start = GraphEventText.Instant(series.Start) ?? NodaTime.Instant.FromUnixTimeSeconds(0);
        var expected = GraphSeriesOccurrences.Expand(series, start, OpenSeriesYears);
        var end = expected.Count > 0 ? expected[^1] : start;
        var instances = new List<Event>();
        var page = await User.Events[series.Id].Instances.GetAsync(r =>
        {
            r.QueryParameters.StartDateTime = Format(start - Duration.FromDays(1));
            r.QueryParameters.EndDateTime = Format(end + Duration.FromDays(2));
            r.QueryParameters.Top = 100;
            Prefer(r.Headers);
        }, cancellationToken);
        while (page is not null)
        {
            instances.AddRange(page.Value ?? []);
            if (string.IsNullOrEmpty(page.OdataNextLink))
                break;
            page = await User.Events[series.Id].Instances.WithUrl(page.OdataNextLink).GetAsync(r => Prefer(r.Headers), cancellationToken);
        }

        var originals = instances.Where(i => i.OriginalStart is not null).Select(i => i.OriginalStart!.Value.ToUnixTimeSeconds()).ToHashSet();
        var cancelled = expected.Where(o => !originals.Contains(o.ToUnixTimeSeconds())).Select(o => o.ToDateTimeOffset()).ToList();
        var exceptions = instances.Where(i => i.Type == EventType.Exception).ToList();
        return (exceptions, cancelled);
    }

    private static string Format(Instant instant) => instant.ToString("uuuu-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static PimItem Item(ItemKind kind, string id, string? key, string text) => new()
    {
        Kind = kind,
        SourceId = id,
        Key = key ?? Core.Pim.PimKeys.ForContent(text),
        ContentHash = Core.Pim.PimKeys.ContentHash(text),
        Text = text,
    };

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
