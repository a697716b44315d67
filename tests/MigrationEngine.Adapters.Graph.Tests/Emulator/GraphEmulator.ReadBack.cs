using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// What reading contacts and events back needs: a contact's photo (profilephoto-get, GET photo/$value: the image bytes,
/// 404 ImageNotFound when the contact has none), one event (event-get, $select and the documented $expand), one attachment
/// with its contentBytes (attachment-get), and the body in the type asked for: Graph answers event bodies as HTML unless
/// Prefer: outlook.body-content-type="text" asks for text (https://learn.microsoft.com/graph/api/event-get, "Prefer:
/// outlook.body-content-type"), so a reader that forgets the header gets HTML, as from the service.
/// </summary>
public sealed partial class GraphEmulator
{
    private void MapReadBack()
    {
        _app.MapGet("/v1.0/users/{user}/contacts/{id}/photo/$value", (HttpContext context, string user, string id) =>
            WithMailbox(context, user, mailbox =>
            {
                if (!PimOf(mailbox).Contacts.TryGetValue(id, out var contact))
                    return PimMissing("contact", id);
                return contact.Photo is null
                    ? Answer.Fail(404, "ImageNotFound", "The photo wasn't found.")
                    : new Answer(200, Bytes: contact.Photo, ContentType: contact.PhotoType);
            }, ContactsRole));
        _app.MapGet("/v1.0/users/{user}/events/{id}", (HttpContext context, string user, string id) =>
            WithMailbox(context, user, mailbox =>
            {
                if (!PimOf(mailbox).Events.TryGetValue(id, out var stored))
                    return PimMissing("event", id);
                var json = WithBodyType(context, EventJson(mailbox, stored, PreferredZone(context)));
                return Project(json, stored.Id, stored.ExtendedProperties, context, out var refused) is { } projected
                    ? new Answer(200, projected)
                    : refused!;
            }, CalendarsRole));
        _app.MapGet("/v1.0/users/{user}/events/{id}/attachments/{attachment}", (HttpContext context, string user, string id, string attachment) =>
            WithMailbox(context, user, mailbox =>
            {
                if (!PimOf(mailbox).Events.TryGetValue(id, out var stored))
                    return PimMissing("event", id);
                var found = stored.Attachments.FirstOrDefault(a => a.Id == attachment);
                return found is null
                    ? PimMissing("attachment", attachment)
                    : new Answer(200, new JsonObject
                    {
                        ["@odata.type"] = "#microsoft.graph.fileAttachment",
                        ["id"] = found.Id,
                        ["name"] = found.Name,
                        ["contentType"] = found.ContentType,
                        ["size"] = found.Content.Length,
                        ["isInline"] = found.IsInline,
                        ["contentBytes"] = Convert.ToBase64String(found.Content),
                    });
            }, CalendarsRole));
    }

    /// <summary>The event's body as the request prefers it: text when Prefer: outlook.body-content-type="text", else HTML.</summary>
    private static JsonObject WithBodyType(HttpContext context, JsonObject json)
    {
        if (json["body"] is not JsonObject body)
            return json;
        var wantsText = context.Request.Headers["Prefer"].Any(p => p is not null
            && BodyTypePreference().Match(p) is { Success: true } match && match.Groups[1].Value.Equals("text", StringComparison.OrdinalIgnoreCase));
        var type = body["contentType"]?.GetValue<string>() ?? "text";
        var content = body["content"]?.GetValue<string>() ?? "";
        if (wantsText && type.Equals("html", StringComparison.OrdinalIgnoreCase))
            json["body"] = new JsonObject { ["contentType"] = "text", ["content"] = WebUtility.HtmlDecode(HtmlTag().Replace(content.Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase), "")) };
        else if (!wantsText && type.Equals("text", StringComparison.OrdinalIgnoreCase))
            json["body"] = new JsonObject { ["contentType"] = "html", ["content"] = "<html><body>" + WebUtility.HtmlEncode(content).Replace("\n", "<br>", StringComparison.Ordinal) + "</body></html>" };
        return json;
    }

    [GeneratedRegex(@"outlook\.body-content-type=""?(\w+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex BodyTypePreference();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex HtmlTag();
}
