using System.Runtime.CompilerServices;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Eml;

/// <summary>
/// A tree of .eml files: directories are folders, files directly in the root (and in a top-level "Inbox"
/// directory) are INBOX. The source id is the path relative to the root, with '/'.
/// </summary>
internal class EmlSource(string root) : IMailSource
{
    /// <summary>The tree's root directory (for a PST, inside its temporary conversion).</summary>
    internal string Root { get; } = root;

    public Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken)
    {
        var byPath = new Dictionary<string, SourceFolder>(StringComparer.Ordinal);
        var directories = new List<string> { Root };
        directories.AddRange(Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories));
        foreach (var directory in directories)
        {
            var hasMail = Directory.EnumerateFiles(directory, "*.eml", Options).Any();
            var isEmpty = !Directory.EnumerateFileSystemEntries(directory).Any();
            if (!hasMail && !isEmpty && directory != Root)
            {
                continue;
            }

            var relative = directory == Root ? string.Empty : Path.GetRelativePath(Root, directory).Replace(Path.DirectorySeparatorChar, '/');
            var folder = relative.Length == 0
                ? new SourceFolder(FolderNames.Inbox, SpecialUse.Inbox)
                : FolderNames.Classify(relative, relative);
            if (relative.Length == 0 && !hasMail)
            {
                continue;
            }

            // NativeName lists the directories merged into the folder (the root and "Inbox" both give INBOX).
            byPath[folder.Path] = byPath.TryGetValue(folder.Path, out var existing)
                ? existing with { NativeName = existing.NativeName + "\n" + relative }
                : folder with { NativeName = relative };
        }

        IReadOnlyList<SourceFolder> ordered = byPath.Values
            .OrderBy(folder => folder.SpecialUse == SpecialUse.Inbox ? 0 : 1)
            .ThenBy(folder => folder.Path, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(ordered);
    }

    public async IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var relativeDirectory in DirectoriesOf(folder))
        {
            var directory = relativeDirectory.Length == 0 ? Root : Path.Combine(Root, relativeDirectory);
            var files = Directory.GetFiles(directory, "*.eml", Options);
            Array.Sort(files, FolderNames.CompareNatural);
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                MessageHeaders headers;
                FileInfo info;
                try
                {
                    info = MessageFile.Resolve(file, Root);
                    headers = MessageHeaders.ReadFromFile(file);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    throw FileErrors.ReadFailed(file, error);
                }

                var sourceId = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
                yield return new SourceMessage
                {
                    SourceId = sourceId,
                    Size = info.Length,
                    Flags = headers.StatusFlags,
                    InternalDate = headers.ParsedDate ?? new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero),
                    MessageId = DedupKeys.NormalizeMessageId(headers.MessageId),
                    DedupKey = headers.DedupKey,
                    Warning = info.Length == 0
                        ? Diagnose.MalformedMessage(SourceLocation.None(file), file, "start", "the file is empty").Message
                        : headers.Problem is null
                            ? null
                            : Diagnose.MalformedMessage(SourceLocation.None(file), file, "start", headers.Problem).Message,
                };
            }
        }

        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<MessageContent> FetchAsync(SourceFolder folder, IReadOnlyList<SourceMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var summary in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = Path.GetFullPath(Path.Combine(Root, summary.SourceId));
            if (!file.StartsWith(Path.GetFullPath(Root), StringComparison.Ordinal) || !File.Exists(file))
            {
                throw new MigrationException(Diagnose.MessageVanished(SourceLocation.None(file), summary.SourceId, Root))
                {
                    Transient = true,
                };
            }

            var length = MessageFile.Resolve(file, Root).Length;
            yield return new MessageContent(summary, new FileWindowStream(file, 0, length), length);
        }

        await Task.CompletedTask;
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static EnumerationOptions Options => new() { MatchCasing = MatchCasing.CaseInsensitive, RecurseSubdirectories = false };

    private static string[] DirectoriesOf(SourceFolder folder) =>
        (folder.NativeName ?? throw new ArgumentException("folder was not listed by this source", nameof(folder))).Split('\n');
}
