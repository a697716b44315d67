using System.Text;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Pim;

namespace MigrationEngine.Adapters.Files.Pim;

/// <summary>A collection found in a file layout and the .vcf or .ics files that hold its items.</summary>
internal sealed record FileCollection(PimCollection Collection, IReadOnlyList<string> Files);

/// <summary>
/// Contacts and calendars read from files (an ics-vcf tree, a Takeout export, readpst's output): each file holds one or many
/// items, split by <see cref="ContactItems"/> and <see cref="CalendarItems"/>. A file that cannot be read is one bad item
/// with the reason; <see cref="PimItem.SourceId"/> is the file's path under the mailbox's folder (with <c>#n</c> for the
/// n-th item of a file).
/// </summary>
internal sealed class PimFileSource(string root, Func<ItemKind, IReadOnlyList<FileCollection>> find, bool mergeDuplicates = false, IAsyncDisposable? owner = null) : IPimSource
{
    /// <summary>Larger files are refused whole: a .vcf or .ics of that size is not an address book or a calendar.</summary>
    private const long MaxFileBytes = 256L * 1024 * 1024;

    private readonly Dictionary<PimCollection, IReadOnlyList<string>> _files = [];

    public Task<IReadOnlyList<PimCollection>> ListCollectionsAsync(ItemKind kind, CancellationToken cancellationToken)
    {
        var found = find(kind);
        foreach (var collection in found)
        {
            _files[collection.Collection] = collection.Files;
        }

        return Task.FromResult<IReadOnlyList<PimCollection>>([.. found.Select(c => c.Collection)]);
    }

    public async IAsyncEnumerable<PimItem> ReadItemsAsync(PimCollection collection, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<(string Key, string Hash)>();
        foreach (var file in _files.GetValueOrDefault(collection) ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sourceId = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            string text;
            try
            {
                // Bytes that are not UTF-8 become U+FFFD, which makes the card or event they are in a bad item (broken encoding).
                text = Encoding.UTF8.GetString(RegularFile.ReadAllBytes(file, MaxFileBytes));
                text = text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw FileErrors.ReadFailed(file, ex);
            }

            var items = collection.Kind == ItemKind.Contacts ? ContactItems.Split(text, sourceId) : CalendarItems.Split(text, sourceId);
            if (items.Count == 0)
            {
                yield return new PimItem
                {
                    Kind = collection.Kind, SourceId = sourceId, Key = PimKeys.ForContent(text), ContentHash = PimKeys.ContentHash(text), Text = text,
                    Problem = collection.Kind == ItemKind.Contacts ? "no vCard (BEGIN:VCARD ... END:VCARD) in the file" : "no event, task or journal entry in the file",
                };
                continue;
            }

            foreach (var item in items)
            {
                // One contact exported in several groups (Takeout's "All Contacts" beside "My Contacts") is one contact.
                if (!mergeDuplicates || item.Problem is not null || seen.Add((item.Key, item.ContentHash)))
                {
                    yield return item;
                }
            }

            await Task.Yield();
        }
    }

    /// <summary>Releases what the files belong to (a PST's conversion, shared with its mail source).</summary>
    public ValueTask DisposeAsync() => owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}
