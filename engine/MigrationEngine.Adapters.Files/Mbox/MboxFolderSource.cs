using System.Runtime.CompilerServices;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Mbox;

/// <summary>
/// A mailbox as a folder of .mbox files, one per mail folder: <c>Archive/2023.mbox</c> is <c>Archive/2023</c>,
/// <c>Inbox.mbox</c> is INBOX. Thunderbird's <c>.sbd</c> subfolder suffix is dropped. With the factory's
/// <paramref name="store"/>, the instances opened for the mailbox share the index of each file a listing scanned.
/// </summary>
internal sealed class MboxFolderSource(string root, MboxIndexStore? store = null) : MboxSourceBase(store, root)
{
    public override Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken)
    {
        var folders = new List<SourceFolder>();
        foreach (var file in Directory.EnumerateFiles(MailboxPath, "*.mbox", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive }))
        {
            var relative = Path.GetRelativePath(MailboxPath, file);
            var levels = relative[..^".mbox".Length].Split(Path.DirectorySeparatorChar)
                .Select(level => level.EndsWith(".sbd", StringComparison.OrdinalIgnoreCase) ? level[..^4] : level);
            folders.Add(FolderNames.Classify(string.Join('/', levels), file));
        }

        IReadOnlyList<SourceFolder> ordered = folders
            .OrderBy(folder => folder.SpecialUse == SpecialUse.Inbox ? 0 : 1)
            .ThenBy(folder => folder.Path, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(ordered);
    }

    public override async IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = folder.NativeName ?? throw new ArgumentException("folder was not listed by this source", nameof(folder));
        await foreach (var entry in ScanAsync(file, cancellationToken))
        {
            yield return Summarize(file, entry, entry.Headers.StatusFlags);
        }
    }

    protected override string FileOf(SourceFolder folder, SourceMessage summary) =>
        folder.NativeName ?? throw new ArgumentException("folder was not listed by this source", nameof(folder));
}
