using System.Runtime.CompilerServices;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Execution.Gmail;

/// <summary>
/// What the workers of one Gmail mailbox share: the source's real folders, the folders shown to the executor, the model
/// and each message's placement.
/// </summary>
internal sealed class GmailMailbox(GmailPlacement placement)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _listed = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<GmailMessage, GmailDecision> _decisions = new();
    private Dictionary<string, (SourceFolder Real, SourceFolder Backing, GmailFolderRole Role, bool Archive)> _shown = new(StringComparer.Ordinal);
    private IReadOnlyList<(SourceFolder Folder, GmailFolderRole Role)> _real = [];
    private SourceFolder? _allMail;
    private bool _fromLabels;
    private GmailModel? _model;
    private GmailBodyCache? _bodies;
    private int _connections;

    /// <summary>A wrapped connection opened: the body cache lives while any does.</summary>
    public void Attach() => Interlocked.Increment(ref _connections);

    public void Detach()
    {
        if (Interlocked.Decrement(ref _connections) == 0)
        {
            lock (_listed)
            {
                _bodies?.Dispose();
                _bodies = null;
            }
        }
    }

    /// <summary>The bodies kept for later copies: only when every label folder is served from All Mail and copied to each.</summary>
    public GmailBodyCache? Bodies
    {
        get
        {
            lock (_listed)
            {
                return _fromLabels && placement.Mode == LabelCopyMode.Each ? _bodies ??= new GmailBodyCache() : null;
            }
        }
    }

    /// <summary>
    /// Takes the source's folders and returns those the executor copies: placing label folders, Spam and Trash as they are,
    /// and All Mail as the archive folder (without All Mail, Starred and Important stand in for it).
    /// </summary>
    public IReadOnlyList<SourceFolder> UseFolders(IReadOnlyList<SourceFolder> real, bool fromLabels)
    {
        var roles = real.Select(f => (Folder: f, Role: GmailModel.RoleOf(f))).ToList();
        var allMail = roles.Find(r => r.Role == GmailFolderRole.AllMail).Folder;
        var shown = new Dictionary<string, (SourceFolder, SourceFolder, GmailFolderRole, bool)>(StringComparer.Ordinal);
        var result = new List<SourceFolder>();
        foreach (var (folder, role) in roles)
        {
            var archive = role == GmailFolderRole.AllMail || (allMail is null && role is GmailFolderRole.Starred or GmailFolderRole.Important);
            if (role is GmailFolderRole.Spam or GmailFolderRole.Trash)
            {
                result.Add(folder);
            }
            else if (archive || placement.Places(role))
            {
                // From X-GM-LABELS every label's messages are All Mail's: read there, numbered there, renumbered with it.
                var backing = fromLabels && allMail is not null ? allMail : folder;
                var shownFolder = folder with
                {
                    SpecialUse = archive ? SpecialUse.Archive : folder.SpecialUse,
                    UidValidity = backing.UidValidity,
                    Cursor = backing.Cursor,
                };
                shown[folder.Path] = (folder, backing, role, archive);
                result.Add(shownFolder);
            }
        }

        lock (_listed)
        {
            _real = roles;
            _allMail = allMail;
            _fromLabels = fromLabels && allMail is not null;
            _shown = shown;
        }

        return result;
    }

    /// <summary>Null for a folder copied as it is (Spam, Trash); else whether it is the archive folder.</summary>
    public (bool Archive, GmailFolderRole Role)? ShapeOf(string path)
    {
        lock (_listed)
        {
            return _shown.TryGetValue(path, out var shown) ? (shown.Archive, shown.Role) : null;
        }
    }

    /// <summary>The folder whose ids a shown folder's messages carry.</summary>
    public SourceFolder BackingOf(SourceFolder folder)
    {
        lock (_listed)
        {
            return _shown.TryGetValue(folder.Path, out var shown) ? shown.Backing : folder;
        }
    }

    public GmailDecision Decide(GmailMessage message) => _decisions.GetValue(message, placement.Decide);

    /// <summary>The model for listing a folder: a folder listed a second time starts a new pass, which reads the source again.</summary>
    public async Task<GmailModel> ModelForListingAsync(string path, IMailSource inner, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            lock (_listed)
            {
                if (!_listed.Add(path))
                {
                    _model = null;
                    _listed.Clear();
                    _listed.Add(path);
                }
            }

            return _model ??= await BuildAsync(inner, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<GmailModel> ModelAsync(IMailSource inner, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _model ??= await BuildAsync(inner, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<GmailModel> BuildAsync(IMailSource inner, CancellationToken cancellationToken)
    {
        if (_fromLabels && inner is IGmailLabelSource labels)
        {
            var entries = new List<(SourceMessage, IReadOnlyList<string>)>();
            await foreach (var entry in labels.ListWithLabelsAsync(_allMail!, null, cancellationToken))
            {
                entries.Add(entry);
            }

            return GmailModel.FromLabels(_allMail!, entries, LabelFolder);
        }

        var listings = new List<(SourceFolder, GmailFolderRole, IReadOnlyList<SourceMessage>)>();
        foreach (var (folder, role) in _real)
        {
            if (role is GmailFolderRole.Spam or GmailFolderRole.Trash)
            {
                continue;
            }

            var messages = new List<SourceMessage>();
            await foreach (var summary in inner.ListMessagesAsync(folder, null, cancellationToken))
            {
                messages.Add(summary);
            }

            listings.Add((folder, role, messages));
        }

        return GmailModel.FromFolders(listings);
    }

    /// <summary>The folder standing for a label as X-GM-LABELS names it; system labels start with a backslash.</summary>
    private (SourceFolder Folder, GmailFolderRole Role)? LabelFolder(string label)
    {
        GmailFolderRole? system = label.ToLowerInvariant() switch
        {
            "\\inbox" => GmailFolderRole.Inbox,
            "\\sent" => GmailFolderRole.Sent,
            "\\draft" or "\\drafts" => GmailFolderRole.Drafts,
            "\\starred" => GmailFolderRole.Starred,
            "\\important" => GmailFolderRole.Important,
            _ => null,
        };
        foreach (var (folder, role) in _real)
        {
            if (system is { } wanted ? role == wanted : role == GmailFolderRole.Label && string.Equals(folder.Path, label, StringComparison.OrdinalIgnoreCase))
            {
                return (folder, role);
            }
        }

        // Inbox is always there; a user label hidden from IMAP ("Show in IMAP" off) has no folder and places nothing.
        return null;
    }
}
