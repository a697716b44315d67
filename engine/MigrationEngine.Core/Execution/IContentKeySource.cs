
namespace MigrationEngine.Core.Execution;

/// <summary>
/// A source that can list messages without reading their header fields. Each summary it lists carries
/// <see cref="DedupKeys.FromContent"/>; the content it fetches carries the real dedup key and Message-ID, worked out from
/// the bytes. Spares the server a header read per message when nothing needs the keys before the copy, which is when the
/// target folder holds no message the ledger does not know.
/// </summary>
public interface IContentKeySource
{
    IAsyncEnumerable<SourceMessage> ListMessagesWithoutKeysAsync(SourceFolder folder, string? afterSourceId, CancellationToken cancellationToken);
}
