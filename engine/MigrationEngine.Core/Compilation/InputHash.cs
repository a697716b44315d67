using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace MigrationEngine.Core.Compilation;

/// <summary>Stable hashes of the plan parts a step depends on; parts are length-prefixed so that boundaries cannot blur.</summary>
public static class InputHash
{
    /// <summary>
    /// SHA-256 of the parts, each as its UTF-8 length (4 bytes, machine order) then its bytes; the first 32 hex digits.
    /// Hashed in one call over one buffer: a 50,000-mailbox plan computes 150,000 of these, and an incremental hash object
    /// per call made compiling it take a second. The bytes hashed are the ones recorded states were made with.
    /// </summary>
    public static string Of(params string?[] parts)
    {
        var total = 0;
        foreach (var part in parts)
        {
            total += sizeof(int) + Encoding.UTF8.GetByteCount(part ?? "\0null");
        }

        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var buffer = rented.AsSpan(0, total);
            var offset = 0;
            foreach (var part in parts)
            {
                var length = Encoding.UTF8.GetBytes(part ?? "\0null", buffer[(offset + sizeof(int))..]);
                BitConverter.TryWriteBytes(buffer[offset..], length);
                offset += sizeof(int) + length;
            }

            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer, digest);
            return Convert.ToHexStringLower(digest[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
