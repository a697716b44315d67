using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// Contact folders and contacts as Microsoft documents them: user-list-contactfolders / user-post-contactfolders,
/// contactfolder-list-childfolders / contactfolder-post-childfolders ($filter on displayName), user-list-contacts /
/// contactfolder-list-contacts ($select, $top paging with @odata.nextLink, extended properties through $expand),
/// user-post-contacts / contactfolder-post-contacts, contact-update (PATCH), and the photo
/// (PUT /contacts/{id}/photo/$value, profilephoto-update: an image content type, 4 MB at most per request).
/// </summary>
public sealed partial class GraphEmulator
{
    private static readonly HashSet<string> ContactProperties = new(StringComparer.Ordinal)
    {
        "assistantName", "birthday", "businessAddress", "businessHomePage", "businessPhones", "categories", "children", "companyName",
        "department", "displayName", "emailAddresses", "fileAs", "generation", "givenName", "homeAddress", "homePhones", "imAddresses",
        "initials", "jobTitle", "manager", "middleName", "mobilePhone", "nickName", "officeLocation", "otherAddress", "parentFolderId",
        "personalNotes", "profession", "spouseName", "surname", "title", "yomiCompanyName", "yomiGivenName", "yomiSurname",
    };

    private const string ContactsRole = "Contacts.ReadWrite";

    private void MapContacts()
    {
        _app.MapGet("/v1.0/users/{user}/contactFolders", (HttpContext context, string user) =>
            WithMailbox(context, user, mailbox => ListContactFolders(context, mailbox, null), ContactsRole));
        _app.MapGet("/v1.0/users/{user}/contactFolders/{folder}/childFolders", (HttpContext context, string user, string folder) =>
            WithMailbox(context, user, mailbox => ListContactFolders(context, mailbox, folder), ContactsRole));
        _app.MapPost("/v1.0/users/{user}/contactFolders", async (HttpContext context, string user) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox => CreateContactFolder(mailbox, null, body), ContactsRole);
        });
        _app.MapPost("/v1.0/users/{user}/contactFolders/{folder}/childFolders", async (HttpContext context, string user, string folder) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox => CreateContactFolder(mailbox, folder, body), ContactsRole);
        });

        _app.MapGet("/v1.0/users/{user}/contacts", (HttpContext context, string user) =>
            WithMailbox(context, user, mailbox => ListContacts(context, mailbox, EmulatorPimStore.DefaultContactFolder), ContactsRole));
        _app.MapGet("/v1.0/users/{user}/contactFolders/{folder}/contacts", (HttpContext context, string user, string folder) =>
            WithMailbox(context, user, mailbox => ListContacts(context, mailbox, folder), ContactsRole));
        _app.MapPost("/v1.0/users/{user}/contacts", async (HttpContext context, string user) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox => CreateContact(mailbox, EmulatorPimStore.DefaultContactFolder, body), ContactsRole);
        });
        _app.MapPost("/v1.0/users/{user}/contactFolders/{folder}/contacts", async (HttpContext context, string user, string folder) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox => CreateContact(mailbox, folder, body), ContactsRole);
        });
        _app.MapPatch("/v1.0/users/{user}/contacts/{id}", async (HttpContext context, string user, string id) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox =>
            {
                var store = PimOf(mailbox);
                if (!store.Contacts.TryGetValue(id, out var contact))
                    return PimMissing("contact", id);
                var refused = ReadBody(body, "contact", ContactProperties, out var properties, out var extended);
                if (refused is not null)
                    return refused;
                foreach (var (name, value) in properties)
                    contact.Properties[name] = value?.DeepClone();
                foreach (var (name, value) in extended)
                    contact.ExtendedProperties[name] = value;
                return new Answer(200, ContactJson(contact));
            }, ContactsRole);
        });
        _app.MapPut("/v1.0/users/{user}/contacts/{id}/photo/$value", async (HttpContext context, string user, string id) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var type = context.Request.ContentType ?? "";
            await WithMailbox(context, user, mailbox =>
            {
                if (!PimOf(mailbox).Contacts.TryGetValue(id, out var contact))
                    return PimMissing("contact", id);
                if (!type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || buffer.Length == 0)
                    return Answer.Fail(400, "ErrorInvalidImage", $"The photo must be an image with an image/* content type (got '{type}', {buffer.Length} bytes).");
                contact.Photo = buffer.ToArray();
                contact.PhotoType = type;
                return new Answer(200);
            }, ContactsRole);
        });
    }

    private Answer ListContactFolders(HttpContext context, EmulatorUser mailbox, string? parent)
    {
        var store = PimOf(mailbox);
        if (parent is not null && !store.ContactFolders.ContainsKey(parent))
            return PimMissing("folder", parent);
        var folders = WithDisplayNameFilter(context, store.ContactFolders.Values.Where(f => f.ParentId == parent), f => f.DisplayName, out var refused);
        if (refused is not null)
            return refused;

        var path = parent is null ? $"/users/{mailbox.Id}/contactFolders" : $"/users/{mailbox.Id}/contactFolders/{parent}/childFolders";
        return new Answer(200, Page(context, folders.ToList(), ContactFolderJson, path, BaseUrl));
    }

    private Answer CreateContactFolder(EmulatorUser mailbox, string? parent, JsonNode? body)
    {
        var store = PimOf(mailbox);
        if (parent is not null && !store.ContactFolders.ContainsKey(parent))
            return PimMissing("folder", parent);
        var name = body?["displayName"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(name))
            return Answer.Fail(400, "ErrorInvalidRequest", "displayName is required.");
        if (store.ContactFolders.Values.Any(f => f.ParentId == parent && string.Equals(f.DisplayName, name, StringComparison.OrdinalIgnoreCase)))
            return Answer.Fail(409, "ErrorFolderExists", "A folder with the specified name already exists.");
        var folder = new EmulatorContactFolder { Id = NewId("CF"), DisplayName = name, ParentId = parent };
        store.ContactFolders[folder.Id] = folder;
        return new Answer(201, ContactFolderJson(folder));
    }

    private Answer ListContacts(HttpContext context, EmulatorUser mailbox, string folder)
    {
        var store = PimOf(mailbox);
        if (folder != EmulatorPimStore.DefaultContactFolder && !store.ContactFolders.ContainsKey(folder))
            return PimMissing("folder", folder);
        var contacts = store.Contacts.Values.Where(c => c.FolderId == folder).ToList();
        var path = folder == EmulatorPimStore.DefaultContactFolder ? $"/users/{mailbox.Id}/contacts" : $"/users/{mailbox.Id}/contactFolders/{folder}/contacts";
        return ProjectedPage(context, contacts, c => (c.Properties, c.Id, c.ExtendedProperties), path, BaseUrl);
    }

    private Answer CreateContact(EmulatorUser mailbox, string folder, JsonNode? body)
    {
        var store = PimOf(mailbox);
        if (folder != EmulatorPimStore.DefaultContactFolder && !store.ContactFolders.ContainsKey(folder))
            return PimMissing("folder", folder);
        var refused = ReadBody(body, "contact", ContactProperties, out var properties, out var extended);
        if (refused is not null)
            return refused;
        var contact = new EmulatorContact { Id = NewId("CT"), FolderId = folder, Properties = properties };
        foreach (var (name, value) in extended)
            contact.ExtendedProperties[name] = value;
        store.Contacts[contact.Id] = contact;
        return new Answer(201, ContactJson(contact));
    }

    /// <summary>The folders a "$filter=displayName eq '...'" keeps (the only filter the folder listings take), or its refusal.</summary>
    private static IEnumerable<T> WithDisplayNameFilter<T>(HttpContext context, IEnumerable<T> folders, Func<T, string> displayName, out Answer? refused)
    {
        refused = null;
        var filter = context.Request.Query["$filter"].ToString();
        if (filter.Length == 0)
            return folders;
        var match = DisplayNameFilter().Match(filter);
        if (!match.Success)
        {
            refused = Answer.Fail(400, "ErrorInvalidUrlQueryFilter", $"The query filter '{filter}' is not supported.");
            return [];
        }

        var name = match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);
        return folders.Where(f => string.Equals(displayName(f), name, StringComparison.OrdinalIgnoreCase));
    }

    private static JsonObject ContactFolderJson(EmulatorContactFolder folder) => new()
    {
        ["id"] = folder.Id,
        ["displayName"] = folder.DisplayName,
        ["parentFolderId"] = folder.ParentId ?? EmulatorPimStore.DefaultContactFolder,
    };

    private static JsonObject ContactJson(EmulatorContact contact)
    {
        var json = (JsonObject)contact.Properties.DeepClone();
        json["id"] = contact.Id;
        json["parentFolderId"] = contact.FolderId;
        return json;
    }
}
