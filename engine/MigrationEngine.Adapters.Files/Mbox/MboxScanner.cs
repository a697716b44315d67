using System.Buffers;
using System.Runtime.CompilerServices;
using MigrationEngine.Adapters.Files.Common;

namespace MigrationEngine.Adapters.Files.Mbox;

/// <summary>Streams the messages of an mbox file with a 1 MB read buffer; bodies are never held.</summary>
internal static class MboxScanner
{
    private const int BufferSize = 1024 * 1024;

    public static async IAsyncEnumerable<MboxEntry> ScanAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = Open(path);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var parser = new MboxParser(path);
            var filled = 0;
            long bufferOffset = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = await ReadAsync(stream, path, buffer.AsMemory(filled, BufferSize - filled), cancellationToken);
                filled += read;
                var endOfFile = read == 0;
                var consumed = parser.Process(buffer.AsSpan(0, filled), bufferOffset, endOfFile);
                if (endOfFile)
                {
                    parser.Finish(bufferOffset + filled);
                }

                foreach (var entry in parser.TakeCompleted())
                {
                    yield return entry;
                }

                if (endOfFile)
                {
                    yield break;
                }

                // The parser leaves at most a short partial line, which moves to the front.
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                bufferOffset += consumed;
                filled -= consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await stream.DisposeAsync();
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
                Options = FileOptions.SequentialScan,
            });
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.ReadFailed(path, error);
        }
    }

    private static async ValueTask<int> ReadAsync(FileStream stream, string path, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.ReadFailed(path, error);
        }
    }
}
