using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Maildir;

/// <summary>
/// A Maildir++ mailbox: <c>cur</c>/<c>new</c> in the root are INBOX, <c>.Sub.Folder</c> is <c>Sub/Folder</c>;
/// plain nested Maildirs (<c>Sub/cur</c>) are read too. Flags and keywords come from the file names,
/// the internal date from the file's modification time, as Dovecot keeps it. A message's id is its unique name, so any
/// instance opened for the mailbox finds the file of a listed id: a large folder is copied in ranges on several readers.
/// </summary>
internal sealed class MaildirSource(string root) : IMailSource, IRangeFetchSource
{
    private static readonly string[] MessageDirectories = ["new", "cur"];

    // Unique name to current file, per folder directory: a flag change renames the file between list and fetch, and an
    // instance that did not list the folder (a range's reader) fills it from one reading of the directory.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _files = new(StringComparer.Ordinal);

    // Small files read whole while listing: fetch takes their bytes instead of opening each file a second time.
    private readonly ListedContents _listed = new();

    public Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken)
    {
        // The root is read once: its cur/new tell whether it is INBOX (no stat of each), its dot folders are Maildir++
        // folders, and the rest are nested Maildirs (AddNested read it a second time).
        var children = Directory.GetDirectories(root);
        var folders = new List<SourceFolder>();
        if (children.Any(child => Path.GetFileName(child) is "cur" or "new"))
        {
            folders.Add(new SourceFolder(FolderNames.Inbox, SpecialUse.Inbox) { NativeName = root });
        }

        foreach (var directory in children)
        {
            var name = Path.GetFileName(directory);
            if (name.StartsWith('.') && name.Length > 1 && name != ".." && IsMaildir(directory))
            {
                folders.Add(FolderNames.Classify(MaildirNames.FromDirectoryName(name), directory));
            }
        }

        AddNested(children, string.Empty, folders);

        // Counted from the directory listing (no file is opened): plan's refresh compares it with the ledger.
        IReadOnlyList<SourceFolder> ordered = folders
            .Select(folder => folder with { MessageCount = DirectoryListing.CountMaildirMessages(folder.NativeName!) })
            .OrderBy(folder => folder.SpecialUse == SpecialUse.Inbox ? 0 : 1)
            .ThenBy(folder => folder.Path, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(ordered);
    }

    public async IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(folder);
        var keywords = DovecotKeywords.Load(directory);
        var files = _files.GetOrAdd(directory, _ => new(StringComparer.Ordinal));
        foreach (var (file, isNew) in MessageFiles(directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (unique, flags, letters) = MaildirNames.ParseFileName(Path.GetFileName(file));
            MessageHeaders headers;
            long size;
            DateTime written;
            try
            {
                if (MessageFile.TryRegular(file, out size, out written))
                {
                    headers = ReadListed(directory, unique, file, size);
                }
                else
                {
                    var info = MessageFile.Resolve(file, directory);
                    (size, written) = (info.Length, info.LastWriteTimeUtc);
                    _listed.Forget(directory, unique);
                    headers = MessageHeaders.ReadFromFile(file);
                }
            }
            catch (FileNotFoundException)
            {
                // Moved or expunged by a live server while listing: it is listed again on the next pass.
                continue;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw FileErrors.ReadFailed(file, error);
            }

            files[unique] = file;
            yield return new SourceMessage
            {
                SourceId = unique,
                Size = size,
                Flags = isNew ? MailFlags.None : flags,
                Keywords = keywords.Names(letters),
                InternalDate = new DateTimeOffset(written, TimeSpan.Zero),
                MessageId = DedupKeys.NormalizeMessageId(headers.MessageId),
                DedupKey = headers.DedupKey,
                Warning = headers.Problem is null
                    ? null
                    : Diagnose.MalformedMessage(SourceLocation.None(file), file, "start", headers.Problem).Message,
            };
        }

        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<MessageContent> FetchAsync(SourceFolder folder, IReadOnlyList<SourceMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(folder);
        var files = _files.GetOrAdd(directory, _ => new(StringComparer.Ordinal));
        foreach (var summary in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_listed.TryTake(directory, summary.SourceId, out var listed))
            {
                // The bytes this source listed: a flag change since renamed the file, its content is the same (Maildir
                // files are written once), and a message deleted since listing is copied as it was listed.
                yield return new MessageContent(summary, new MemoryStream(listed, writable: false), listed.Length);
                continue;
            }

            if (!files.TryGetValue(summary.SourceId, out var file) || !File.Exists(file))
            {
                Reindex(directory, files);
                file = files.TryGetValue(summary.SourceId, out var found) && File.Exists(found)
                    ? found
                    : throw new MigrationException(Diagnose.MessageVanished(SourceLocation.None(directory), summary.SourceId, directory))
                    {
                        Transient = true,
                    };
            }

            var length = MessageFile.Resolve(file, directory).Length;
            yield return new MessageContent(summary, new FileWindowStream(file, 0, length), length);
        }

        await Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// The header section of a regular message file of <paramref name="size"/> bytes (lstat just now). A file small enough
    /// to keep is read whole in the one open the header read needed anyway, and kept for the fetch; the file must still hold
    /// exactly <paramref name="size"/> bytes, or it is read as a larger one is (a file being written is never kept cut short).
    /// </summary>
    private MessageHeaders ReadListed(string directory, string unique, string file, long size)
    {
        _listed.Forget(directory, unique);
        if (!_listed.HasRoomFor(size) || !MessageFile.TryReadExactly(file, (int)size, out var content))
        {
            return MessageHeaders.ReadFromFile(file);
        }

        _listed.Keep(directory, unique, content);
        return MessageHeaders.Read(content);
    }

    private static bool IsMaildir(string directory) =>
        Directory.Exists(Path.Combine(directory, "cur")) || Directory.Exists(Path.Combine(directory, "new"));

    private static void AddNested(string[] children, string prefix, List<SourceFolder> folders)
    {
        foreach (var child in children)
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith('.') || name is "cur" or "new" or "tmp")
            {
                continue;
            }

            var path = prefix.Length == 0 ? ModifiedUtf7.Decode(name) : prefix + "/" + ModifiedUtf7.Decode(name);
            if (IsMaildir(child))
            {
                folders.Add(FolderNames.Classify(path, child));
            }

            AddNested(Directory.GetDirectories(child), path, folders);
        }
    }

    private static IEnumerable<(string File, bool IsNew)> MessageFiles(string directory)
    {
        foreach (var sub in MessageDirectories)
        {
            var names = DirectoryListing.FilesOrNone(Path.Combine(directory, sub));
            Array.Sort(names, StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (!Path.GetFileName(name).StartsWith('.'))
                {
                    yield return (name, sub == "new");
                }
            }
        }
    }

    /// <summary>
    /// Maps every message file of the folder by the unique name a listing gives it: one reading of the directory serves the
    /// rest of a range (looking each id up in the directory would read it once per message).
    /// </summary>
    private static void Reindex(string directory, ConcurrentDictionary<string, string> files)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, _) in MessageFiles(directory))
        {
            // The first file of a name wins (new before cur), as when each id was looked up alone.
            found.TryAdd(MaildirNames.ParseFileName(Path.GetFileName(file)).Unique, file);
        }

        foreach (var (unique, file) in found)
        {
            files[unique] = file;
        }
    }

    private static string DirectoryOf(SourceFolder folder) =>
        folder.NativeName ?? throw new ArgumentException("folder was not listed by this source", nameof(folder));
}
