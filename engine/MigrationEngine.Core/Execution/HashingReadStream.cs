using System.Security.Cryptography;

namespace MigrationEngine.Core.Execution;

/// <summary>SHA-256 and length of one message's bytes: computed at once for content held in memory, else while the target reads it.</summary>
public sealed class ContentDigest
{
    private readonly HashingReadStream? _stream;
    private readonly string? _sha256;
    private readonly long _length;

    private ContentDigest(HashingReadStream? stream, string? sha256, long length)
    {
        _stream = stream;
        _sha256 = sha256;
        _length = length;
    }

    /// <summary>Starts the digest of <paramref name="content"/>, wrapping its stream when the bytes are not in memory.</summary>
    public static ContentDigest Attach(MessageContent content)
    {
        if (content.Content is IInMemoryContent memory)
        {
            return new ContentDigest(null, Convert.ToHexStringLower(SHA256.HashData(memory.Bytes.Span)), memory.Bytes.Length);
        }

        var hashing = new HashingReadStream(content.Content);
        content.ReplaceContent(hashing);
        return new ContentDigest(hashing, null, 0);
    }

    public string Sha256 => _sha256 ?? _stream!.Sha256;

    /// <summary>The bytes hashed: 0 when the target read nothing (a stream the adapter did not consume).</summary>
    public long BytesRead => _stream?.BytesRead ?? _length;
}

/// <summary>Read-through stream that hashes (SHA-256) and counts what the target reads, so bytes are hashed without a second pass.</summary>
public sealed class HashingReadStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _hex;

    public long BytesRead { get; private set; }

    /// <summary>SHA-256 (lower-case hex) of the bytes read so far; reading stops being hashed after the first call.</summary>
    public string Sha256 => _hex ??= Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
            inner.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        _hash.Dispose();
        await base.DisposeAsync();
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0 && _hex is null)
        {
            _hash.AppendData(data);
            BytesRead += data.Length;
        }
    }
}
