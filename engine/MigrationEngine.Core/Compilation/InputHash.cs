using System.Security.Cryptography;
using System.Text;

namespace MigrationEngine.Core.Compilation;

/// <summary>Stable hashes of the plan parts a step depends on; parts are length-prefixed so that boundaries cannot blur.</summary>
public static class InputHash
{
    public static string Of(params string?[] parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetBytes(part ?? "\0null");
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}
