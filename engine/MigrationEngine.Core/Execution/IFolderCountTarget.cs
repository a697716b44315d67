
namespace MigrationEngine.Core.Execution;

/// <summary>A target that counts folders' messages without reading them (a delta pass checks unchanged folders by count).</summary>
public interface IFolderCountTarget
{
    /// <summary>Message count of each folder, by <see cref="TargetFolder.Path"/>; asked together so a server can answer in one round trip.</summary>
    Task<IReadOnlyDictionary<string, int>> CountMessagesAsync(IReadOnlyList<TargetFolder> folders, CancellationToken cancellationToken);
}
