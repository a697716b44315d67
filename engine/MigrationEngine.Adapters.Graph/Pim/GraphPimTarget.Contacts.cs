using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Pim.VCards;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>Contact folders and contacts.</summary>
internal sealed partial class GraphPimTarget
{
    /// <summary>
    /// Each level of the path is found by displayName under its parent, else created: top-level folders with
    /// GET/POST /users/{id}/contactFolders (https://learn.microsoft.com/graph/api/user-list-contactfolders,
    /// https://learn.microsoft.com/graph/api/user-post-contactfolders), deeper ones with .../contactFolders/{id}/childFolders
    /// (https://learn.microsoft.com/graph/api/contactfolder-list-childfolders, contactfolder-post-childfolders).
    /// </summary>
    private async Task<string> EnsureContactFolderAsync(string path, CancellationToken cancellationToken)
    {
        string? parentId = null;
        foreach (var level in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var filter = $"displayName eq '{level.Replace("'", "''", StringComparison.Ordinal)}'";
            var found = parentId is null
                ? await User.ContactFolders.GetAsync(r => r.QueryParameters.Filter = filter, cancellationToken)
                : await User.ContactFolders[parentId].ChildFolders.GetAsync(r => r.QueryParameters.Filter = filter, cancellationToken);
            var existing = found?.Value?.FirstOrDefault(f => string.Equals(f.DisplayName, level, StringComparison.OrdinalIgnoreCase));
            if (existing?.Id is { } id)
            {
                parentId = id;
                continue;
            }

            var folder = new ContactFolder { DisplayName = level };
            var created = parentId is null
                ? await User.ContactFolders.PostAsync(folder, cancellationToken: cancellationToken)
                : await User.ContactFolders[parentId].ChildFolders.PostAsync(folder, cancellationToken: cancellationToken);
            parentId = created!.Id!;
        }

        return parentId ?? DefaultId;
    }

    /// <summary>
    /// The folder's contacts with our stamp: GET .../contacts with $select=id, the stamp through $expand, pages of 100
    /// followed by @odata.nextLink (https://learn.microsoft.com/graph/api/user-list-contacts,
    /// https://learn.microsoft.com/graph/api/contactfolder-list-contacts). /users/{id}/contacts is the default folder.
    /// </summary>
    private async Task<IReadOnlyList<PimTargetItem>> ListContactsAsync(string folderId, CancellationToken cancellationToken)
    {
        void Query(RequestConfiguration<Microsoft.Graph.Users.Item.Contacts.ContactsRequestBuilder.ContactsRequestBuilderGetQueryParameters> r)
        {
            r.QueryParameters.Select = ["id"];
            r.QueryParameters.Expand = [GraphExtendedProperties.Expand(GraphExtendedProperties.ItemKey)];
            r.QueryParameters.Top = 100;
        }

        void FolderQuery(RequestConfiguration<Microsoft.Graph.Users.Item.ContactFolders.Item.Contacts.ContactsRequestBuilder.ContactsRequestBuilderGetQueryParameters> r)
        {
            r.QueryParameters.Select = ["id"];
            r.QueryParameters.Expand = [GraphExtendedProperties.Expand(GraphExtendedProperties.ItemKey)];
            r.QueryParameters.Top = 100;
        }

        var items = new List<PimTargetItem>();
        var page = folderId == DefaultId
            ? await User.Contacts.GetAsync(Query, cancellationToken)
            : await User.ContactFolders[folderId].Contacts.GetAsync(FolderQuery, cancellationToken);
        while (page is not null)
        {
            items.AddRange(Stamped((page.Value ?? []).Select(c => (c.Id, c.SingleValueExtendedProperties))));
            if (string.IsNullOrEmpty(page.OdataNextLink))
                break;
            page = await User.Contacts.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
        }

        return items;
    }

    /// <summary>
    /// Creates the contact in the folder (POST, https://learn.microsoft.com/graph/api/user-post-contacts and
    /// contactfolder-post-contacts) or updates it (PATCH, https://learn.microsoft.com/graph/api/contact-update), then puts
    /// its photo (PUT /contacts/{id}/photo/$value, https://learn.microsoft.com/graph/api/profilephoto-update).
    /// </summary>
    private async Task<PimWriteResult> WriteContactAsync(string folderId, PimItem item, string? existingId, CancellationToken cancellationToken)
    {
        var cards = VCardReader.Parse(item.Text);
        if (cards.Count == 0)
            return Unmappable(item, "no vCard in the item");
        var draft = GraphContactMapper.Map(cards[0], out var problem);
        if (draft is null)
            return Unmappable(item, problem!);

        var contact = draft.Contact;
        contact.SingleValueExtendedProperties = [GraphExtendedProperties.Property(GraphExtendedProperties.ItemKey, ItemStamp.Format(item.Key, item.ContentHash))];
        string id;
        if (existingId is null)
        {
            var created = folderId == DefaultId
                ? await User.Contacts.PostAsync(contact, cancellationToken: cancellationToken)
                : await User.ContactFolders[folderId].Contacts.PostAsync(contact, cancellationToken: cancellationToken);
            id = created!.Id!;
        }
        else
        {
            GraphContactMapper.ClearUnset(contact);
            var request = User.Contacts[existingId].ToPatchRequestInformation(contact);
            GraphNulls.Apply(request, GraphNulls.Contact);
            await _connection.Adapter.SendAsync(request, Contact.CreateFromDiscriminatorValue, ErrorMapping, cancellationToken);
            id = existingId;
        }

        if (draft.Photo is not null)
        {
            var request = User.Contacts[id].Photo.Content.ToPutRequestInformation(new MemoryStream(draft.Photo));
            // The photo's own type: profilephoto-update takes image/jpeg or image/png, not the builder's octet-stream.
            request.Headers.Remove("Content-Type");
            request.SetStreamContent(new MemoryStream(draft.Photo), draft.PhotoType!);
            await _connection.Adapter.SendNoContentAsync(request, ErrorMapping, cancellationToken);
        }

        return new PimWriteResult(id) { Dropped = draft.Dropped };
    }
}
