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
