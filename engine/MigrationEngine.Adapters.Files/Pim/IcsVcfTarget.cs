using System.Security.Cryptography;
using System.Text;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Pim;

namespace MigrationEngine.Adapters.Files.Pim;

/// <summary>
/// Writes contacts and calendars in the ics-vcf layout under a mailbox's folder: one file per item, named from its key, in
/// <c>contacts/&lt;address book&gt;/</c> or <c>calendar/&lt;calendar&gt;/</c> (each level of a collection's path encoded as a
/// mailbox address is, so no path leaves the root). The item's text is written as it came, so the file keeps everything the
/// source had; the key is the item's own UID (or content hash), read back from the file by a run without state. Files are
/// written aside and moved into place, so a crash leaves the old file or the new one, never half of one.
/// </summary>
internal sealed class IcsVcfTarget(string root) : IPimTarget
{
    /// <summary>A target file read back larger than this is not one of ours (items are at most <see cref="PimKeys.MaxCalendarItemBytes"/>).</summary>
    private const long MaxFileBytes = 2L * PimKeys.MaxCalendarItemBytes + 65536;

    public Task<PimTargetCollection> EnsureCollectionAsync(PimCollection collection, CancellationToken cancellationToken)
    {
        var directory = Path.Combine([root, PimFileLayouts.FolderName(collection.Kind), .. collection.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(MailboxFileNames.Encode)]);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.WriteFailed(directory, ex);
        }

        return Task.FromResult(new PimTargetCollection(collection.Kind, collection.Path, directory));
    }

    public Task<IReadOnlyList<PimTargetItem>> ListItemsAsync(PimTargetCollection collection, CancellationToken cancellationToken)
    {
        var items = new List<PimTargetItem>();
        foreach (var file in Directory.GetFiles(collection.NativeId, "*" + PimFileLayouts.Extension(collection.Kind)).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string text;
            try
            {
                text = RegularFile.ReadAllText(file, MaxFileBytes);
            }
            catch (IOException)
            {
                continue; // not a file this target wrote: left alone
            }

            var name = Path.GetFileName(file);
            foreach (var item in collection.Kind == ItemKind.Contacts ? ContactItems.Split(text, name) : CalendarItems.Split(text, name))
            {
                items.Add(new PimTargetItem(item.Key, name, item.ContentHash));
            }
        }

        return Task.FromResult<IReadOnlyList<PimTargetItem>>(items);
    }

    public async Task<PimWriteResult> WriteAsync(PimTargetCollection collection, PimItem item, string? existingTargetId, CancellationToken cancellationToken)
    {
        var name = existingTargetId is { } existing && IsOwnName(existing, collection.Kind) ? existing : FileName(item);
        var path = Path.Combine(collection.NativeId, name);
        var aside = Path.Combine(collection.NativeId, $".{name}.{Environment.ProcessId}.tmp");
        try
        {
            await File.WriteAllTextAsync(aside, item.Text, new UTF8Encoding(false), cancellationToken);
            File.Move(aside, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(aside);
            throw FileErrors.WriteFailed(path, ex);
        }

        return new PimWriteResult(name);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left aside: a dot file the listing never reads.
        }
    }

    /// <summary>The item's file name: its UID when that is a plain name, else a hash of its key (UIDs may hold any character).</summary>
    internal static string FileName(PimItem item)
    {
        var extension = PimFileLayouts.Extension(item.Kind);
        var key = item.Key;
        var plain = key.Length is > 0 and <= 120 && key[0] != '.' && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@');
        return plain ? key + extension : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40] + extension;
    }

    private static bool IsOwnName(string name, ItemKind kind) =>
        name.Length > 4 && name[0] != '.' && name.EndsWith(PimFileLayouts.Extension(kind), StringComparison.Ordinal) && name.IndexOfAny(['/', '\\', '\0']) < 0;
}
