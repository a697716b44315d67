using System.Globalization;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>The rules that decide, per message and per folder, what a copy step copies and what it may skip.</summary>
internal static class CopyRules
{
    /// <summary>Why the plan's filters leave a message out, or null when it is copied.</summary>
    public static string? FilterReason(SourceMessage summary, MessageFilters filters)
    {
        if (!filters.IncludeDeleted && summary.Flags.HasFlag(MailFlags.Deleted))
        {
            return "marked \\Deleted in the source (filters.includeDeleted is false)";
        }

        if (filters.Since is { } since && summary.InternalDate < since)
        {
            return $"received before filters.since {since:yyyy-MM-dd}";
        }

        if (filters.Before is { } before && summary.InternalDate >= before)
        {
            return $"received on or after filters.before {before:yyyy-MM-dd}";
        }

        if (filters.MaxMessageSize is { } max && summary.Size > max)
        {
            return $"larger than filters.maxMessageSize {Executor.FormatSize(max)}";
        }

        return null;
    }

    /// <summary>
    /// True when the source folder is where the last copy left it: same UIDVALIDITY and UIDNEXT (nothing new), and with
    /// syncFlags the same HIGHESTMODSEQ (no flag changed). Only sources that report a cursor can be skipped.
    /// </summary>
    public static bool IsUnchanged(MigrationDefinition migration, SourceFolder folder, FolderCursor? saved) =>
        NothingArrived(folder, saved) && (!migration.SyncFlags || (folder.Cursor!.HighestModSeq is { } modSeq && saved!.HighestModSeq == modSeq));

    /// <summary>Same UIDVALIDITY and UIDNEXT as the saved cursor: no message arrived since (flags may have changed).</summary>
    public static bool NothingArrived(SourceFolder folder, FolderCursor? saved) =>
        folder.Cursor is { } now && saved is not null && saved.UidValidity == now.UidValidity && saved.UidNext == now.UidNext;

    /// <summary>
    /// How many messages the ledger recorded from a folder that its source no longer holds, at least: of the
    /// <paramref name="recorded"/> messages, the folder's <paramref name="sourceCount"/> minus the <paramref name="listedSince"/>
    /// messages that came after the ledger's are all that can still be there. Messages a filter left out count as still there,
    /// so the figure never says more vanished than did. (A full listing knows exactly and does not need it.)
    /// </summary>
    public static long Vanished(long recorded, long? sourceCount, long listedSince) =>
        sourceCount is { } count ? Math.Max(0, recorded - Math.Max(0, count - listedSince)) : 0;

    /// <summary>The highest of numeric source ids (IMAP UIDs), where a delta listing starts; null when any id is not a number.</summary>
    public static string? MaxNumericId(IReadOnlySet<string> ids)
    {
        long max = -1;
        foreach (var id in ids)
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            max = Math.Max(max, value);
        }

        return max >= 0 ? max.ToString(CultureInfo.InvariantCulture) : null;
    }
}
