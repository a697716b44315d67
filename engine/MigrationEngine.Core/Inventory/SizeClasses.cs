
namespace MigrationEngine.Core.Inventory;

/// <summary>The size classes reports and lint use: the bounds are the limits Microsoft documents for its targets.</summary>
public static class SizeClasses
{
    /// <summary>
    /// Largest raw message one Graph importMime request carries: requests are limited to 4 MB and the body is base64 (4/3 of
    /// the raw size), so 3,000,000 raw bytes (https://learn.microsoft.com/graph/api/mailfolder-importmime); the Graph target
    /// imports larger ones in JSON mode.
    /// </summary>
    public const long GraphRequest = 3_000_000;

    /// <summary>Exchange Online's default maximum message size (35 MB).</summary>
    public const long ExchangeDefault = 35L * 1024 * 1024;

    /// <summary>Exchange Online's highest maximum message size (150 MB).</summary>
    public const long ExchangeMaximum = 150L * 1024 * 1024;

    /// <summary>Upper bounds of the buckets, in bytes: up to 1 MB, 3,000,000 bytes, 35 MB, 150 MB; the last bucket is everything above.</summary>
    public static readonly IReadOnlyList<long> Bounds = [1L * 1024 * 1024, GraphRequest, ExchangeDefault, ExchangeMaximum];

    public static readonly IReadOnlyList<string> Labels = ["<=1MB", "<=3MB", "<=35MB", "<=150MB", ">150MB"];

    public static int BucketOf(long size)
    {
        for (var i = 0; i < Bounds.Count; i++)
        {
            if (size <= Bounds[i])
            {
                return i;
            }
        }

        return Bounds.Count;
    }
}
