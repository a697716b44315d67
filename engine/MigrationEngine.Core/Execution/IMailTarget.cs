
namespace MigrationEngine.Core.Execution;

/// <summary>Writes one mailbox. Appends raw bytes unchanged with flags and internal date.</summary>
public interface IMailTarget : IAsyncDisposable
{
    /// <summary>Creates the folder when missing (idempotent); maps special-use folders to the target's own.</summary>
    Task<TargetFolder> EnsureFolderAsync(string path, SpecialUse specialUse, CancellationToken cancellationToken);

    /// <summary>Dedup keys of the messages already in the folder, one entry per message (a multiset).</summary>
    Task<IReadOnlyList<string>> ListMessageKeysAsync(TargetFolder folder, CancellationToken cancellationToken);

    /// <summary>Appends the messages in order; a rejected item is reported in its result, not thrown.</summary>
    Task<IReadOnlyList<AppendResult>> AppendAsync(TargetFolder folder, IReadOnlyList<MessageContent> messages, CancellationToken cancellationToken);

    /// <summary>Largest message the target accepts, when it has a limit (Exchange Online: 35 MB by default).</summary>
    long? MaxMessageSize { get; }
}
