using System.Security.Cryptography;

namespace MigrationEngine.Core.Loading;

/// <summary>
/// The one rule for a plan's content hash: SHA-256 over the plan file's bytes, then each file it reads (its CSVs) in the
/// order the loader read them. Saved plans and status snapshots compare it to know the plan is the one they were made from.
/// </summary>
public static class PlanContentHash
{
    public static string Of(byte[] planBytes, IEnumerable<byte[]> inputFiles)
    {
        ArgumentNullException.ThrowIfNull(planBytes);
        ArgumentNullException.ThrowIfNull(inputFiles);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(planBytes);
        foreach (var bytes in inputFiles)
        {
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
