
namespace MigrationEngine.Core.Execution;

/// <summary>A target that can bring flag changes across in delta passes (<c>syncFlags: true</c>).</summary>
public interface IFlagSyncTarget
{
    /// <summary>Sets each message's flags and keywords to the given ones where they differ; returns how many changed.</summary>
    Task<int> SyncFlagsAsync(TargetFolder folder, IReadOnlyList<FlagUpdate> updates, CancellationToken cancellationToken);
}
