namespace MigrationEngine.Core.State;

/// <summary>What the ledger knows about one source folder.</summary>
public sealed record LedgerFolderView(IReadOnlySet<string> SourceIds, IReadOnlyList<string> DedupKeys, long? FolderValidity)
{
    public static readonly LedgerFolderView Empty = new(new HashSet<string>(), [], null);

    /// <summary>
    /// Builds the view from a folder's ledger rows in any order, so that every store gives it the same meaning: source ids
    /// of the latest validity (that of the highest id) only, since older UIDs mean nothing; dedup keys of every entry except
    /// relinked ones, which re-point a message already counted and would otherwise let a second UIDVALIDITY change
    /// relink a genuinely new copy instead of copying it.
    /// </summary>
    public sealed class Builder
    {
        private readonly List<(long Validity, string SourceId)> _rows = [];
        private readonly List<string> _dedupKeys = [];
        private long _latestId = long.MinValue;
        private long? _latestValidity;

        public void Add(long id, long validity, string sourceId, string dedupKey, string outcome)
        {
            _rows.Add((validity, sourceId));
            if (!string.Equals(outcome, LedgerOutcomes.Relinked, StringComparison.Ordinal))
            {
                _dedupKeys.Add(dedupKey);
            }

            if (id > _latestId)
            {
                _latestId = id;
                _latestValidity = validity;
            }
        }

        public LedgerFolderView Build()
        {
            if (_latestValidity is not { } latest)
            {
                return Empty;
            }

            var sourceIds = new HashSet<string>(_rows.Count, StringComparer.Ordinal);
            foreach (var (validity, sourceId) in _rows)
            {
                if (validity == latest)
                {
                    sourceIds.Add(sourceId);
                }
            }

            return new LedgerFolderView(sourceIds, _dedupKeys, latest);
        }
    }
}
