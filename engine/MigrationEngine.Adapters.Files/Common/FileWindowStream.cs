using Microsoft.Win32.SafeHandles;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>
/// A read-only window over part of a file, read with positional reads so that many windows over the same
/// file can be alive at once (a batch of mbox messages). The file is opened on the first read and closed at
/// the end of the window, so an unread batch holds no descriptors.
/// </summary>
internal sealed class FileWindowStream(string path, long offset, long length) : Stream
{
    private SafeFileHandle? _handle;
    private long _position;

    public string FilePath { get; } = path;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var remaining = length - _position;
        if (remaining <= 0 || buffer.IsEmpty)
        {
            Finish();
            return 0;
        }

        if (buffer.Length > remaining)
        {
            buffer = buffer[..(int)remaining];
        }

        int read;
        try
        {
            _handle ??= File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
            read = RandomAccess.Read(_handle, buffer, offset + _position);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.ReadFailed(FilePath, error);
        }

        if (read == 0)
        {
            // The file shrank under us: a short message would be silently stored, so refuse it.
            throw FileErrors.ReadFailed(FilePath, new IOException($"file ended at byte {offset + _position}, expected {offset + length}"));
        }

        _position += read;
        if (_position >= length)
        {
            Finish();
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Finish();
        }

        base.Dispose(disposing);
    }

    private void Finish()
    {
        _handle?.Dispose();
        _handle = null;
    }
}
