using System.Globalization;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.Events.Item.Attachments.CreateUploadSession;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Validation;
using NodaTime;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>Calendars and events.</summary>
internal sealed partial class GraphPimTarget
{
    /// <summary>
    /// Graph's calendars are one level (calendar groups aside): a path's levels make one name, "Work/Team". Found by name
    /// (GET /users/{id}/calendars, https://learn.microsoft.com/graph/api/user-list-calendars, paged), else created (POST,
    /// https://learn.microsoft.com/graph/api/user-post-calendars).
    /// </summary>
    private async Task<string> EnsureCalendarAsync(string path, CancellationToken cancellationToken)
    {
        var name = string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var page = await User.Calendars.GetAsync(r => r.QueryParameters.Select = ["id", "name"], cancellationToken);
        while (page is not null)
        {
            if (page.Value?.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))?.Id is { } id)
                return id;
            if (string.IsNullOrEmpty(page.OdataNextLink))
                break;
            page = await User.Calendars.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
        }

        var created = await User.Calendars.PostAsync(new Microsoft.Graph.Models.Calendar { Name = name }, cancellationToken: cancellationToken);
        return created!.Id!;
    }

    /// <summary>
    /// The calendar's events with our stamp (single events and series masters, https://learn.microsoft.com/graph/api/calendar-list-events,
    /// https://learn.microsoft.com/graph/api/user-list-events), pages followed by @odata.nextLink.
    /// </summary>
    private async Task<IReadOnlyList<PimTargetItem>> ListEventsAsync(string calendarId, CancellationToken cancellationToken)
    {
        var expand = GraphExtendedProperties.Expand(GraphExtendedProperties.ItemKey);
        var items = new List<PimTargetItem>();
        var page = calendarId == DefaultId
            ? await User.Calendar.Events.GetAsync(r => { r.QueryParameters.Select = ["id"]; r.QueryParameters.Expand = [expand]; r.QueryParameters.Top = 100; }, cancellationToken)
            : await User.Calendars[calendarId].Events.GetAsync(r => { r.QueryParameters.Select = ["id"]; r.QueryParameters.Expand = [expand]; r.QueryParameters.Top = 100; }, cancellationToken);
        while (page is not null)
        {
            items.AddRange(Stamped((page.Value ?? []).Select(e => (e.Id, e.SingleValueExtendedProperties))));
            if (string.IsNullOrEmpty(page.OdataNextLink))
                break;
            page = await User.Calendar.Events.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
        }

        return items;
    }

    /// <summary>
    /// Creates the event without attendees (POST, https://learn.microsoft.com/graph/api/user-post-events; transactionId makes
    /// a retried POST return the event instead of creating a second one) or updates it without attendees (PATCH,
    /// https://learn.microsoft.com/graph/api/event-update), then cancels and modifies occurrences and adds its files.
    /// </summary>
    private async Task<PimWriteResult> WriteEventAsync(string calendarId, PimItem item, string? existingId, CancellationToken cancellationToken)
    {
        var draft = GraphEventMapper.Map(item.Text, Address, out var problem);
        if (draft is null)
            return Unmappable(item, problem!);

        var graphEvent = draft.Event;
        List<SingleValueLegacyExtendedProperty> properties = [GraphExtendedProperties.Property(GraphExtendedProperties.ItemKey, ItemStamp.Format(item.Key, item.ContentHash))];
        if (draft.AttendeeRecord is not null)
            properties.Add(GraphExtendedProperties.Property(GraphExtendedProperties.Attendees, draft.AttendeeRecord));
        graphEvent.SingleValueExtendedProperties = properties;
        string id;
        if (existingId is null)
        {
            graphEvent.TransactionId = TransactionId(calendarId, item);
            // With a transactionId the POST may be sent again after a dropped connection (ConnectionRetryHandler).
            var idempotent = new Http.MailboxRequestOption { Mailbox = _userId, Idempotent = true };
            var created = calendarId == DefaultId
                ? await User.Calendar.Events.PostAsync(graphEvent, r => r.Options.Add(idempotent), cancellationToken)
                : await User.Calendars[calendarId].Events.PostAsync(graphEvent, r => r.Options.Add(idempotent), cancellationToken);
            id = created!.Id!;
        }
        else
        {
            // PATCH keeps what the body leaves out (event-update): a location or categories removed at the source are sent
            // empty, a recurrence removed at the source as null (GraphNulls).
            graphEvent.Location ??= new Location { DisplayName = "" };
            graphEvent.Categories ??= [];
            var request = User.Events[existingId].ToPatchRequestInformation(graphEvent);
            GraphNulls.Apply(request, GraphNulls.Event);
            await _connection.Adapter.SendAsync(request, Event.CreateFromDiscriminatorValue, ErrorMapping, cancellationToken);
            id = existingId;
        }

        var dropped = new List<string>(draft.Dropped);
        foreach (var edit in draft.Occurrences)
            await EditOccurrenceAsync(id, edit, dropped, cancellationToken);
        await AddFilesAsync(id, draft.Files, existingId is not null, dropped, cancellationToken);
        return new PimWriteResult(id) { Dropped = dropped };
    }

    /// <summary>
    /// The create's transactionId: Graph answers a POST whose transactionId the mailbox has seen with that event, wherever it
    /// is, so the id names the calendar and the item as well as its content. Two calendars holding the same event (the same
    /// export in two calendars) get one event each, and a retried POST still finds its first event.
    /// </summary>
    private static string TransactionId(string calendarId, PimItem item) =>
        "me-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{calendarId}\n{item.Key}\n{item.ContentHash}")))[..32];

    /// <summary>
    /// Finds the occurrence by its original start among the series' instances of that day (GET /events/{id}/instances with
    /// the required startDateTime/endDateTime, times in UTC through Prefer: outlook.timezone,
    /// https://learn.microsoft.com/graph/api/event-list-instances), then deletes it (an appointment has no attendees to
    /// notify, https://learn.microsoft.com/graph/api/event-delete) or patches it into an exception. An occurrence already
    /// gone (an earlier pass cancelled it) is left as it is.
    /// </summary>
    private async Task EditOccurrenceAsync(string seriesId, OccurrenceEdit edit, List<string> dropped, CancellationToken cancellationToken)
    {
        var from = edit.OriginalStart - Duration.FromDays(1);
        var to = edit.OriginalStart + Duration.FromDays(1);
        var instances = await User.Events[seriesId].Instances.GetAsync(r =>
        {
            r.QueryParameters.StartDateTime = from.ToString("uuuu-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
            r.QueryParameters.EndDateTime = to.ToString("uuuu-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
            r.QueryParameters.Select = ["id", "originalStart", "type"];
            r.Headers.Add("Prefer", "outlook.timezone=\"UTC\"");
        }, cancellationToken);
        var target = instances?.Value?.FirstOrDefault(i => i.OriginalStart is { } original
            && Math.Abs((original - edit.OriginalStart.ToDateTimeOffset()).TotalMinutes) < 1);
        if (target?.Id is null)
        {
            if (edit.Changes is not null)
                dropped.Add($"RECURRENCE-ID {edit.OriginalStart} (no such occurrence in the series)");
            return;
        }

        if (edit.Changes is null)
        {
            await User.Events[target.Id].DeleteAsync(cancellationToken: cancellationToken);
            return;
        }

        try
        {
            await User.Events[target.Id].PatchAsync(edit.Changes, cancellationToken: cancellationToken);
        }
        catch (Microsoft.Graph.Models.ODataErrors.ODataError error) when (error.ResponseStatusCode == 400)
        {
            // ErrorOccurrenceCrossingBoundary: Outlook keeps an occurrence between its neighbours' days (event-update).
            dropped.Add($"RECURRENCE-ID {edit.OriginalStart}: {error.Error?.Code} {error.Error?.Message}");
        }
    }

    /// <summary>
    /// Inline files as fileAttachments: under 3 MB in one POST /events/{id}/attachments
    /// (https://learn.microsoft.com/graph/api/event-post-attachments), larger ones through an upload session
    /// (POST .../attachments/createUploadSession, then PUT ranges, https://learn.microsoft.com/graph/api/attachment-createuploadsession,
    /// https://learn.microsoft.com/graph/outlook-large-attachments), which US Government L4/L5 do not offer: there such a file is
    /// named as dropped. On an update only files whose name the event does not have yet.
    /// </summary>
    private async Task AddFilesAsync(string eventId, IReadOnlyList<EventFile> files, bool update, List<string> dropped, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
            return;
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (update)
        {
            var existing = await User.Events[eventId].Attachments.GetAsync(r => r.QueryParameters.Select = ["name"], cancellationToken);
            present.UnionWith((existing?.Value ?? []).Select(a => a.Name ?? ""));
        }

        var inlineLimit = _connection.Options.InlineAttachmentLimit;
        foreach (var file in files.Where(f => !present.Contains(f.Name)))
        {
            if (file.Content.Length < inlineLimit)
            {
                await User.Events[eventId].Attachments.PostAsync(new FileAttachment
                {
                    OdataType = "#microsoft.graph.fileAttachment",
                    Name = file.Name,
                    ContentType = file.ContentType,
                    ContentBytes = file.Content,
                }, cancellationToken: cancellationToken);
            }
            else if (!GraphCloudFeatures.HasUploadSessions(_context.Endpoint.Cloud))
            {
                dropped.Add($"ATTACH {file.Name} ({file.Content.Length} bytes; this cloud has no upload sessions, so Graph takes files under {inlineLimit} bytes)");
            }
            else
            {
                var session = await User.Events[eventId].Attachments.CreateUploadSession.PostAsync(new CreateUploadSessionPostRequestBody
                {
                    AttachmentItem = new AttachmentItem { AttachmentType = AttachmentType.File, Name = file.Name, Size = file.Content.Length, ContentType = file.ContentType },
                }, cancellationToken: cancellationToken);
                var url = session?.UploadUrl ?? throw new InvalidOperationException("createUploadSession answered without an upload URL");
                await GraphUploadSession.PutRangesAsync(_connection, _userId, url, file.Content, file.Name, cancellationToken);
            }
        }
    }
}
