using System.Security.Cryptography;
using System.Text;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>
/// The one way a mailbox address becomes a file or folder name under a file endpoint's path. An ordinary address
/// (alice@contoso.com) is its own name, as the documented layouts say; anything that could leave the path or break
/// a file system ('/', '\', NUL and other control characters, '%', a leading '.', names of 255 bytes and more) is
/// percent-encoded, and an over-long name is cut and completed with a hash, so no address can name an absolute
/// path, a '..' segment or another mailbox's folder.
/// </summary>
public static class MailboxFileNames
{
    /// <summary>Linux file systems allow 255 bytes per name; room is kept for suffixes such as ".mbox".</summary>
    private const int MaxNameBytes = 240;

    public static string Encode(string address)
    {
        var builder = new StringBuilder(address.Length);
        for (var i = 0; i < address.Length; i++)
        {
            var c = address[i];
            if (c is '/' or '\\' or '%' || char.IsControl(c) || (i == 0 && c == '.'))
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                builder.Append(c);
            }
        }

        var name = builder.Length == 0 ? "%00" : builder.ToString();
        if (Encoding.UTF8.GetByteCount(name) <= MaxNameBytes)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address)))[..16];
        var keep = name;
        while (Encoding.UTF8.GetByteCount(keep) > MaxNameBytes - hash.Length - 1)
        {
            keep = keep[..^1];
        }

        if (keep.Length > 0 && char.IsHighSurrogate(keep[^1]))
        {
            keep = keep[..^1];
        }

        return keep + "~" + hash;
    }

    /// <summary><paramref name="basePath"/>/<see cref="Encode"/>(address) plus an optional suffix (".mbox", ".pst").</summary>
    public static string PathFor(string basePath, string address, string suffix = "") =>
        Path.Combine(basePath, Encode(address) + suffix);
}
