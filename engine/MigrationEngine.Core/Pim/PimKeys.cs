using System.Security.Cryptography;
using System.Text;

namespace MigrationEngine.Core.Pim;

/// <summary>
/// The one home of how a contact or calendar item is recognised (its key) and how a change is seen (its content hash), for
/// every source, target and the ledger. Keys: the vCard UID; the iCalendar UID (all components of one UID are one item),
/// with RECURRENCE-ID for an occurrence that comes without its series; a hash of the normalised content when there is no
/// UID. Keys are opaque strings: targets store them with each item they write (a Graph extended property, a file's name).
/// </summary>
public static class PimKeys
{
    /// <summary>Prefix of a key made from content because the item has no UID.</summary>
    public const string HashPrefix = "sha256:";

    /// <summary>Largest contact the engine copies (a 10 MB contact photo is a bad item, not a slow mailbox).</summary>
    public const int MaxItemBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Largest calendar object the engine copies: events carry their files inline (ATTACH in base64), and Exchange Online
    /// takes an event of up to its default 35 MB message size, files included, which is about 47 MB as base64 text.
    /// </summary>
    public const int MaxCalendarItemBytes = 48 * 1024 * 1024;

    /// <summary>Properties that change with every export without the item changing: left out of the content hash.</summary>
    private static readonly HashSet<string> Volatile = new(StringComparer.Ordinal) { "DTSTAMP", "PRODID", "LAST-MODIFIED", "REV", "SEQUENCE" };

    public static string ForUid(string uid) => uid.Trim();

    /// <summary>An occurrence without its series: the UID and the RECURRENCE-ID as written (value, with its TZID).</summary>
    public static string ForOccurrence(string uid, string recurrenceId) => $"{uid.Trim()}|{recurrenceId.Trim()}";

    public static string ForContent(string text) => HashPrefix + ContentHash(text);

    /// <summary>
    /// SHA-256 (hex) of the item's normalised text: lines unfolded, line ends and trailing blanks ignored, property names in upper
    /// case, and the properties that change with every export (DTSTAMP, PRODID, LAST-MODIFIED, REV, SEQUENCE) left out, so the
    /// same contact exported twice hashes the same and an edited one does not.
    /// </summary>
    public static string ContentHash(string text)
    {
        var normal = new StringBuilder(text.Length);
        foreach (var (logical, _) in ContentLines.Read(text))
        {
            var line = logical.TrimEnd();
            var name = ContentLines.NameOf(line);
            if (line.Length == 0 || Volatile.Contains(name))
            {
                continue;
            }

            var head = line.Length - ContentLines.ValueOf(line).Length - 1;
            normal.Append(head > 0 ? line[..head].ToUpperInvariant() + line[head..] : line).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal.ToString())));
    }

    /// <summary>Why an item of this size is refused, or null (<see cref="MaxItemBytes"/> for a contact, <see cref="MaxCalendarItemBytes"/> for an event).</summary>
    public static string? SizeProblem(string text, int maxBytes = MaxItemBytes)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        var what = maxBytes == MaxItemBytes ? "contact (a large photo)" : "calendar object (large files)";
        return bytes > maxBytes
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the item is {bytes / 1048576.0:0.0} MB, above the {maxBytes / 1048576} MB the engine copies for one {what}")
            : null;
    }
}
