using System.Runtime.CompilerServices;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Execution.Gmail;

namespace MigrationEngine.Adapters.Files.Mbox;

/// <summary>
/// A Google Takeout mailbox: one mbox whose <c>X-Gmail-Labels</c> place each message in folders. Folders are only
/// known after reading every header, so the first listing indexes the file once and keeps the summaries
/// (a few hundred bytes per message, never bodies). The placement is decided by the listing instance alone; the
/// instances that read a label folder's other ranges only serve bytes, from the index that listing's scan shared.
/// </summary>
internal sealed class TakeoutSource(string file, GmailPlacement placement, MboxIndexStore? store = null) : MboxSourceBase(store, file)
{
    private Dictionary<string, (SourceFolder Folder, List<SourceMessage> Messages)>? _folders;

    public override async Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken)
    {
        var folders = await LoadAsync(cancellationToken);
        return folders.Values
            .Select(entry => entry.Folder with { MessageCount = entry.Messages.Count(m => m.PlacedIn is null) })
            .OrderBy(folder => folder.SpecialUse == SpecialUse.Inbox ? 0 : 1)
            .ThenBy(folder => folder.Path, StringComparer.Ordinal)
            .ToList();
    }

    public override async IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var folders = await LoadAsync(cancellationToken);
        if (!folders.TryGetValue(folder.Path, out var entry))
        {
            yield break;
        }

        foreach (var summary in entry.Messages)
        {
            yield return summary;
        }
    }

    protected override string FileOf(SourceFolder folder, SourceMessage summary) => MailboxPath;

    private async Task<Dictionary<string, (SourceFolder Folder, List<SourceMessage> Messages)>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_folders is not null)
        {
            return _folders;
        }

        var folders = new Dictionary<string, (SourceFolder, List<SourceMessage>)>(StringComparer.Ordinal);
        await foreach (var entry in ScanAsync(MailboxPath, cancellationToken))
        {
            var labels = GmailLabels.Split(entry.Headers.GmailLabels);
            var summary = Summarize(MailboxPath, entry, GmailLabels.Flags(labels));
            foreach (var (folder, listed) in GmailLabels.Place(labels, summary, placement))
            {
                if (!folders.TryGetValue(folder.Path, out var slot))
                {
                    slot = (folder with { NativeName = folder.Path }, []);
                    folders[folder.Path] = slot;
                }

                slot.Item2.Add(listed);
            }
        }

        _folders = folders;
        return folders;
    }
}
