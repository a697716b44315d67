namespace MigrationEngine.Core.State;

/// <summary>Picks, per folder, the count of the validity that holds the folder's newest entry (as <see cref="LedgerFolderView.Builder"/> does).</summary>
public sealed class LedgerFolderCountsBuilder
{
    private readonly Dictionary<string, (long LatestId, int Count)> _folders = new(StringComparer.Ordinal);

    /// <summary>One row of "count and highest id per folder and validity".</summary>
    public void Add(string folder, long count, long highestId)
    {
        if (!_folders.TryGetValue(folder, out var current) || highestId > current.LatestId)
        {
            _folders[folder] = (highestId, (int)count);
        }
    }

    public IReadOnlyDictionary<string, int> Build() =>
        _folders.ToDictionary(pair => pair.Key, pair => pair.Value.Count, StringComparer.Ordinal);
}
