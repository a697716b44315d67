namespace MigrationEngine.Core.Execution;

/// <summary>
/// A target that gets a folder ready for appends ahead of the first one (IMAP: finds the folder and opens it to read which
/// keywords it keeps). The copy asks for it while the source lists the folder, on the other connection of the pair, so the
/// first append does not wait for it: over a link with latency each of those steps is a round trip.
/// </summary>
public interface IFolderPreparingTarget
{
    Task PrepareFolderAsync(TargetFolder folder, CancellationToken cancellationToken);
}
