using Microsoft.Graph.Models;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>
/// Contacts and calendars of one Exchange Online mailbox through Graph: contact folders and contacts, calendars and
/// events. Each item carries its key and content hash in <see cref="GraphExtendedProperties.ItemKey"/>, so a run without
/// state finds what an earlier run wrote. Nothing it writes sends a message: events never get attendees (see
/// <see cref="GraphEventMapper"/>), occurrences are removed from appointments, which have nobody to notify.
/// </summary>
internal sealed partial class GraphPimTarget : IPimTarget
{
    /// <summary>The NativeId of a mailbox's default contact folder or calendar (addressed as /contacts, /calendar).</summary>
    internal const string DefaultId = "";

    private static readonly Dictionary<string, Microsoft.Kiota.Abstractions.Serialization.ParsableFactory<Microsoft.Kiota.Abstractions.Serialization.IParsable>> ErrorMapping = new()
    {
        ["XXX"] = Microsoft.Graph.Models.ODataErrors.ODataError.CreateFromDiscriminatorValue,
    };

    private readonly GraphConnection _connection;
    private readonly MailboxContext _context;
    private readonly string _userId;

    private GraphPimTarget(GraphConnection connection, MailboxContext context, string userId)
    {
        _connection = connection;
        _context = context;
        _userId = userId;
    }


    internal string UserId => _userId;

    private string Address => _context.Address;

    private Microsoft.Graph.Users.Item.UserItemRequestBuilder User => _connection.Client.Users[_userId];

    public static async Task<GraphPimTarget> OpenAsync(GraphConnection connection, MailboxContext context, CancellationToken cancellationToken)
    {
        var location = context.Mailbox.Location;
        User? user;
        try
        {
            user = await GraphProvisioner.GetUserAsync(connection, context.Address, location, cancellationToken);
        }
        catch (Exception ex) when (ex is not MigrationException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw GraphErrors.ToMigrationException(connection, ex, "find the user", context.Address, "User.Read.All", location);
        }

        return user?.Id is { } id
            ? new GraphPimTarget(connection, context, id)
            : throw new MigrationException(Diagnose.GraphMailboxMissing(location, context.Address, connection.TenantId,
                hint: "create the user (mail runs create it with provision.createUsers: true)"));
    }

    public async Task<PimTargetCollection> EnsureCollectionAsync(PimCollection collection, CancellationToken cancellationToken)
    {
        if (collection.IsDefault)
            return new PimTargetCollection(collection.Kind, collection.Path, DefaultId);
        try
        {
            var id = collection.Kind == ItemKind.Contacts
                ? await EnsureContactFolderAsync(collection.Path, cancellationToken)
                : await EnsureCalendarAsync(collection.Path, cancellationToken);
            return new PimTargetCollection(collection.Kind, collection.Path, id);
        }
        catch (Exception ex) when (ex is not MigrationException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw CollectionFailure(ex, collection.Kind, collection.Path);
        }
    }

    public async Task<IReadOnlyList<PimTargetItem>> ListItemsAsync(PimTargetCollection collection, CancellationToken cancellationToken)
    {
        try
        {
            return collection.Kind == ItemKind.Contacts
                ? await ListContactsAsync(collection.NativeId, cancellationToken)
                : await ListEventsAsync(collection.NativeId, cancellationToken);
        }
        catch (Exception ex) when (ex is not MigrationException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw GraphErrors.ToMigrationException(_connection, ex, $"list the {Noun(collection.Kind)}s of '{collection.Path}'", Address,
                Permission(collection.Kind), _context.Mailbox.Location);
        }
    }

    public async Task<PimWriteResult> WriteAsync(PimTargetCollection collection, PimItem item, string? existingTargetId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Problem is not null)
            return Unmappable(item, item.Problem);
        try
        {
            return item.Kind == ItemKind.Contacts
                ? await WriteContactAsync(collection.NativeId, item, existingTargetId, cancellationToken)
                : await WriteEventAsync(collection.NativeId, item, existingTargetId, cancellationToken);
        }
        catch (Exception ex) when (ex is not MigrationException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            if (GraphFailures.Classify(ex, itemRequest: true) == GraphFailureClass.ItemRefused)
            {
                var diagnostic = Diagnose.GraphPimItemRefused(_context.Mailbox.Location, Noun(item.Kind), item.SourceId, Address,
                    $"{GraphErrors.StatusOf(ex)} {GraphErrors.Describe(ex)}");
                return new PimWriteResult(null, $"{diagnostic.Code}: {diagnostic.Message}");
            }

            throw GraphErrors.ToMigrationException(_connection, ex, $"write {Noun(item.Kind)} {item.SourceId}", Address, Permission(item.Kind), _context.Mailbox.Location);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private PimWriteResult Unmappable(PimItem item, string reason)
    {
        var diagnostic = Diagnose.GraphPimItemUnmappable(_context.Mailbox.Location, Noun(item.Kind), item.SourceId, Address, reason);
        return new PimWriteResult(null, $"{diagnostic.Code}: {diagnostic.Message}");
    }

    private MigrationException CollectionFailure(Exception ex, ItemKind kind, string path)
    {
        if (GraphErrors.StatusOf(ex) is 401 or 403)
            return GraphErrors.ToMigrationException(_connection, ex, $"create {Noun(kind)} folders", Address, Permission(kind), _context.Mailbox.Location);
        return new MigrationException(Diagnose.GraphPimCollectionFailed(_context.Mailbox.Location,
            kind == ItemKind.Contacts ? "contact folder" : "calendar", path, Address, GraphErrors.Describe(ex)), ex)
        {
            Transient = GraphFailures.Classify(ex, itemRequest: false).IsRetried(),
        };
    }

    private static string Noun(ItemKind kind) => kind == ItemKind.Contacts ? "contact" : "event";

    private static string Permission(ItemKind kind) => kind == ItemKind.Contacts ? "Contacts.ReadWrite" : "Calendars.ReadWrite";

    /// <summary>Items of a listing page that carry our stamp; items without it were not written by the engine.</summary>
    private static IEnumerable<PimTargetItem> Stamped(IEnumerable<(string? Id, List<SingleValueLegacyExtendedProperty>? Properties)> items) =>
        items.Select(i => (i.Id, Stamp: ItemStamp.Parse(GraphExtendedProperties.ValueOf(i.Properties, GraphExtendedProperties.ItemKey))))
            .Where(i => i.Id is not null && i.Stamp is not null)
            .Select(i => new PimTargetItem(i.Stamp!.Value.Key, i.Id!, i.Stamp.Value.ContentHash));
}
