
namespace MigrationEngine.Core.Execution;

/// <summary>One user of an Exchange-native batch as the last recorded poll saw it: status, Data Consistency Score and skipped items by kind.</summary>
public sealed record NativeUserStatus(string Status, string? DataConsistencyScore, long Skipped, IReadOnlyDictionary<string, int> SkippedByKind, string? Error)
{
    /// <summary>"DCS Investigate, 3 skipped (CorruptItem 2, LargeItem 1)", plus the error; null when there is nothing to say.</summary>
    public string? Detail()
    {
        var parts = new List<string>();
        if (DataConsistencyScore is { } score && (score != "Perfect" || Skipped > 0))
        {
            parts.Add($"DCS {score}, {Skipped} skipped" + (SkippedByKind.Count == 0 ? string.Empty : " (" + string.Join(", ", SkippedByKind.Select(k => $"{k.Key} {k.Value}")) + ")"));
        }

        if (Error is not null)
        {
            parts.Add(Error);
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
