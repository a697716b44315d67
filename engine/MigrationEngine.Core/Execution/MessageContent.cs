
namespace MigrationEngine.Core.Execution;

/// <summary>A message with its raw bytes. The stream is read once, front to back; it may be a network stream.</summary>
public sealed class MessageContent(SourceMessage summary, Stream content, long length) : IAsyncDisposable, IDisposable
{
    public SourceMessage Summary { get; } = summary;
    public Stream Content { get; private set; } = content;
    public long Length { get; } = length;

    /// <summary>Lets the executor wrap the stream (hashing) before a target reads it.</summary>
    public void ReplaceContent(Stream stream) => Content = stream;

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
