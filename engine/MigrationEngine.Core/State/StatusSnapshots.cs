using System.Reflection;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.State;

/// <summary>Makes, stores and checks status snapshots; the one place that says when a snapshot may stand in for the state.</summary>
public static class StatusSnapshots
{
    /// <summary>The build that made a snapshot: another build may count differently, so it recomputes.</summary>
    private static readonly string EngineVersion =
        typeof(StatusSnapshots).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Keeps <paramref name="view"/> for the plan, valid for the plan's content when it was loaded and for
    /// <paramref name="revision"/>, which the caller read before it read the account (a write in between makes the snapshot
    /// look older than it is, never newer). Does nothing when the store keeps no snapshots.
    /// </summary>
    public static async Task SaveAsync(IStateStore store, PlanModel model, long revision, StatusView view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(view);
        if (store is not IStatusSnapshotStore snapshots)
        {
            return;
        }

        var bytes = SnapshotFormat.Write(new SnapshotHeader(EngineVersion, model.Name, model.ContentHash, model.InputFiles, revision), view);
        await snapshots.SaveStatusSnapshotAsync(model.PlanFile, model.Name, revision, bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The revision to make a snapshot at (0 when the store keeps no snapshots).</summary>
    public static Task<long> RevisionAsync(IStateStore store, string planName, CancellationToken cancellationToken) =>
        store is IStatusSnapshotStore snapshots ? snapshots.GetRevisionAsync(planName, cancellationToken) : Task.FromResult(0L);

    /// <summary>
    /// The view kept for the plan file when it still stands for the state: made by this build, for the same bytes of the plan
    /// file and of every CSV it reads, and nothing written to the plan's steps, ledger or item events since. Null otherwise
    /// (the caller then loads the plan and reads the state).
    /// </summary>
    public static async Task<StatusView?> TryReadAsync(IStateStore store, string planFile, CancellationToken cancellationToken)
    {
        if (store is not IStatusSnapshotStore snapshots)
        {
            return null;
        }

        var fullPath = Path.GetFullPath(planFile);
        var bytes = await snapshots.FindStatusSnapshotAsync(fullPath, cancellationToken).ConfigureAwait(false);
        // A damaged or foreign snapshot is only a missing cache: the exact path still answers.
        if (bytes is null || SnapshotFormat.Read(bytes) is not var (header, view) || header.EngineVersion != EngineVersion)
        {
            return null;
        }

        if (ContentHashNow(fullPath, header.InputFiles) != header.ContentHash
            || await snapshots.GetRevisionAsync(header.Plan, cancellationToken).ConfigureAwait(false) != header.Revision)
        {
            return null;
        }

        return view;
    }

    /// <summary>The plan's content hash from the files as they are now, read as the loader reads them; null when one cannot be read.</summary>
    private static string? ContentHashNow(string planFile, IReadOnlyList<string>? inputFiles)
    {
        try
        {
            var plan = RegularFile.ReadAllBytes(planFile, YamlTreeReader.MaxFileBytes);
            var inputs = (inputFiles ?? []).Select(path => RegularFile.ReadAllBytes(path, Loading.CsvMailboxFile.MaxBytes)).ToList();
            return PlanContentHash.Of(plan, inputs);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
