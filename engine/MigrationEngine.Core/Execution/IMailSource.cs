
namespace MigrationEngine.Core.Execution;

/// <summary>Reads one mailbox. Opened per mailbox by an <see cref="IMailSourceFactory"/>; never loads a mailbox into memory.</summary>
public interface IMailSource : IAsyncDisposable
{
    Task<IReadOnlyList<SourceFolder>> ListFoldersAsync(CancellationToken cancellationToken);

    /// <summary>Summaries of the folder's messages, streamed. <paramref name="afterSourceId"/> lets IMAP start past a UID (delta passes); others may ignore it.</summary>
    IAsyncEnumerable<SourceMessage> ListMessagesAsync(SourceFolder folder, string? afterSourceId, CancellationToken cancellationToken);

    /// <summary>Raw bytes of the given messages, in the given order. The caller disposes each content.</summary>
    IAsyncEnumerable<MessageContent> FetchAsync(SourceFolder folder, IReadOnlyList<SourceMessage> messages, CancellationToken cancellationToken);
}
