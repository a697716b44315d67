using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Adapters.Files.Eml;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Adapters.Files.Mbox;
using MigrationEngine.Adapters.Files.Pst;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Execution.Gmail;

namespace MigrationEngine.Adapters.Files;

/// <summary>
/// Opens file sources. Under the endpoint's path, each mailbox has an entry named by its source address:
/// <c>path/alice@contoso.com/</c> (mbox folder layout, Maildir++, EML tree), <c>path/alice@contoso.com.mbox</c>
/// (Takeout) or <c>path/alice@contoso.com.pst</c> (or the path is the .pst itself).
/// </summary>
public sealed partial class FileSourceFactory : IMailSourceFactory
{
    // The mbox indexes of the mailboxes open in this process: a listing's scan serves the readers of the folder's ranges.
    private readonly MboxIndexStore _mboxIndexes = new();

    public IReadOnlyCollection<EndpointType> Types { get; } = [EndpointType.Mbox, EndpointType.Maildir, EndpointType.Eml, EndpointType.Pst];

    public async Task<IMailSource> OpenAsync(MailboxContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.Endpoint;
        var basePath = endpoint.Path;
        if (string.IsNullOrWhiteSpace(basePath))
        {
            throw new MigrationException(Diagnose.FileEndpointPathMissing(endpoint.Location, endpoint.Name, endpoint.Type.Yaml()));
        }

        var address = context.Address;
        switch (endpoint.Type)
        {
            case EndpointType.Mbox when endpoint.Layout == MboxLayout.Takeout:
                return new TakeoutSource(FindTakeoutFile(context, basePath, address), new GmailPlacement(
                    context.Migration.LabelCopies, context.Migration.Gmail, new FolderRulesMatcher(context.Migration.Folders).IsIncluded), _mboxIndexes);
            case EndpointType.Mbox:
                return new MboxFolderSource(RequireMboxFolders(context, basePath, address), _mboxIndexes);
            case EndpointType.Maildir:
                return new MaildirSource(RequireDirectory(context, basePath, address, null));
            case EndpointType.Eml:
                return new EmlTreeSource(RequireDirectory(context, basePath, address, null));
            case EndpointType.Pst:
                return await PstSource.OpenAsync(FindPstFile(context, basePath, address), context.Logger, cancellationToken);
            default:
                throw new MigrationException(Diagnose.UnsupportedFileType(endpoint.Location, endpoint.Name, endpoint.Type.Yaml(), string.Join(", ", Types.Select(t => t.Yaml()))));
        }
    }

    private static string RequireDirectory(MailboxContext context, string basePath, string address, string? hint)
    {
        var directory = MailboxFileNames.PathFor(basePath, address);
        if (!Directory.Exists(directory))
        {
            throw NotFound(context, address, $"the directory {directory}", hint);
        }

        return directory;
    }

    /// <summary>
    /// The mailbox's folder of .mbox files. A single <c>&lt;address&gt;.mbox</c> beside a folder without any (a Takeout export,
    /// whose folder holds its Contacts and Calendar) means the layout is takeout.
    /// </summary>
    private static string RequireMboxFolders(MailboxContext context, string basePath, string address)
    {
        var takeoutHint = File.Exists(MailboxFileNames.PathFor(basePath, address, ".mbox")) ? "a single .mbox file was found: set layout: takeout" : null;
        var directory = RequireDirectory(context, basePath, address, takeoutHint);
        if (takeoutHint is not null && !Directory.EnumerateFiles(directory, "*.mbox", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive }).Any())
        {
            throw NotFound(context, address, $"the directory {directory} with .mbox files", takeoutHint);
        }

        return directory;
    }

    private static string FindTakeoutFile(MailboxContext context, string basePath, string address)
    {
        var file = MailboxFileNames.PathFor(basePath, address, ".mbox");
        if (File.Exists(file))
        {
            return file;
        }

        var directory = MailboxFileNames.PathFor(basePath, address);
        if (Directory.Exists(directory))
        {
            var files = Directory.GetFiles(directory, "*.mbox", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive });
            if (files.Length == 1)
            {
                return files[0];
            }

            if (files.Length > 1)
            {
                throw new MigrationException(Diagnose.TakeoutAmbiguous(SourceLocation.None(directory), directory, files.Length,
                    hint: "keep only the Takeout 'All mail' mbox in that folder"));
            }
        }

        throw NotFound(context, address, $"{file} or one .mbox file in {directory}", null);
    }

    internal static string FindPstFile(MailboxContext context, string basePath, string address)
    {
        if (File.Exists(basePath) && basePath.EndsWith(".pst", StringComparison.OrdinalIgnoreCase))
        {
            return basePath;
        }

        var file = MailboxFileNames.PathFor(basePath, address, ".pst");
        if (File.Exists(file))
        {
            return file;
        }

        throw NotFound(context, address, file, null);
    }

    private static MigrationException NotFound(MailboxContext context, string address, string expected, string? hint) =>
        new MigrationException(Diagnose.FileMailboxNotFound(context.Mailbox.Location, address, expected,
            hint: hint ?? $"check the path of endpoint '{context.Endpoint.Name}' and the mailbox address"));
}
